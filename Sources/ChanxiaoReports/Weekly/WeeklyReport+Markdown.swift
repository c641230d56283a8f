import ChanxiaoCore
import Foundation

extension WeeklyReport {
    /// The report as Markdown, to paste into the weekly e-mail (每周二报送).
    public func markdown(zone: TimeZone) -> String {
        var out = "# 消费扶贫工作周报 \(week)（\(week.monday) 至 \(week.sunday)）\n\n"
        if !regions.isEmpty { out += "范围：行政区划 \(regions.joined(separator: "、"))（含其结对帮扶县）\n\n" }
        let t = totals
        out += "## 总体\n\n"
        out += "| 指标 | 本周 |\n|---|---|\n"
        out += "| 匹配量 | \(t.matched.text) |\n| 确认量 | \(t.accepted.text) |\n| 销售量 | \(t.sold.text) |\n"
        out += "| 销售额（元） | \(ReportNumber.yuan(t.salesAmountFen)) |\n| 其中扶贫产品（元） | \(ReportNumber.yuan(t.povertyAmountFen)) |\n"
        out += "| 直播场次 | \(t.livestreams) |\n| 新设网点 | \(t.newOutlets) |\n| 未达目标的采购单位 | \(atRisk.count) |\n\n"

        out += "## 本周主推县（一县一品一周）\n\n"
        if featured.isEmpty {
            out += "本周无主推县。\n\n"
        } else {
            out += "| 场馆 | 县 | 产品 |\n|---|---|---|\n"
            for item in featured { out += "| \(cell(item.venueName)) | \(cell(item.countyName)) | \(cell(item.productName)) |\n" }
            out += "\n"
        }

        out += "## 分县情况\n\n"
        if counties.isEmpty {
            out += "本周无数据。\n\n"
        } else {
            out += "| 县 | 匹配量 | 确认量 | 销售量 | 销售额（元） | 扶贫产品（元） | 直播 | 新设网点 |\n|---|---|---|---|---:|---:|---:|---:|\n"
            for line in counties {
                let f = line.figures
                let name = [line.city, line.name].compactMap { $0 }.joined(separator: " ")
                out += "| \(cell(name)) | \(f.matched.text) | \(f.accepted.text) | \(f.sold.text) | \(ReportNumber.yuan(f.salesAmountFen)) "
                out += "| \(ReportNumber.yuan(f.povertyAmountFen)) | \(f.livestreams) | \(f.newOutlets) |\n"
            }
            out += "\n"
        }

        out += "## 分采购网络情况\n\n"
        if networks.isEmpty {
            out += "本周无数据。\n\n"
        } else {
            out += "| 网络 | 采购单位 | 匹配量 | 确认量 | 销售额（元） | 扶贫产品（元） | 扶贫占比 | 未达目标 |\n|---|---:|---|---|---:|---:|---:|---:|\n"
            for line in networks {
                let f = line.figures
                let share = f.salesAmountFen > 0 ? Double(f.povertyAmountFen) / Double(f.salesAmountFen) : nil
                out += "| \(cell(line.network ?? "（未加入网络）")) | \(line.buyers) | \(f.matched.text) | \(f.accepted.text) "
                out +=
                    "| \(ReportNumber.yuan(f.salesAmountFen)) | \(ReportNumber.yuan(f.povertyAmountFen)) | \(ReportNumber.percent(share)) | \(line.buyersAtRisk) |\n"
            }
            out += "\n"
        }

        out += "## 直播带货\n\n"
        if livestreams.isEmpty {
            out += "本周无直播。\n\n"
        } else {
            for session in livestreams {
                let (day, minute) = LocalTime.moment(session.startsAt, in: zone)
                out += "- \(day) \(ClockTime.text(minute)) \(cell(session.hostName))：\(cell(session.title ?? session.id))\n"
            }
            out += "\n"
        }

        out += "## 新设网点\n\n"
        if newOutlets.isEmpty {
            out += "本周无新设网点。\n\n"
        } else {
            for outlet in newOutlets { out += "- \(outlet.openedOn) \(cell(outlet.name))（\(outlet.kind.chineseName)，\(outlet.countyCode)）\n" }
            out += "\n"
        }

        out += "## 未达扶贫采购目标的单位（\(targetFrom) 至 \(week.sunday)，低于目标 \(ReportNumber.percent(atRiskMargin)) 以上）\n\n"
        if atRisk.isEmpty {
            out += "无。\n"
        } else {
            out += "| 采购单位 | 扶贫产品（元） | 农产品采购（元） | 占比 | 目标 | 差额（元） |\n|---|---:|---:|---:|---:|---:|\n"
            for item in atRisk {
                let f = item.figures
                out += "| \(cell(item.buyerName)) | \(ReportNumber.yuan(f.povertyAmountFen)) | \(ReportNumber.yuan(f.totalAmountFen)) "
                out += "| \(ReportNumber.percent(f.share)) | \(ReportNumber.percent(f.target)) | \(f.gapFen.map(ReportNumber.yuan) ?? "—") |\n"
            }
        }
        if !refused.isEmpty { out += "\n" }
        for refusal in refused {
            // Left out of the table: a figure beyond what chanxiao reports exactly.
            out += "- 未列入：\(cell(refusal.subject)) 的 \(cell(refusal.figure)) 超出可精确报告的上限（\(Figure.limit)）\n"
        }
        return out
    }

    /// Text safe inside a Markdown table cell.
    private func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
