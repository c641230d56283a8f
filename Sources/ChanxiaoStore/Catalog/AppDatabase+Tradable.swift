import ChanxiaoCore

/// Products with their suppliers, as a withdrawal or a run's storing reads them, and the one
/// rule both apply: a product may be traded on a day while its supplier is not blacklisted and
/// a listing covers the day.
struct TradeCatalog {
    var products: [String: Product]
    var suppliers: [String: Supplier]

    /// False for a product or supplier that is gone.
    func isTradable(_ productID: String, on day: CalendarDate) -> Bool {
        isTradable(productID) { $0.isCertified(on: day) }
    }

    /// False for a product or supplier that is gone; `certified` judges the listing.
    func isTradable(_ productID: String, certified: (Product) -> Bool) -> Bool {
        guard let product = products[productID], let supplier = suppliers[product.supplierID] else { return false }
        return !supplier.blacklisted && certified(product)
    }
}
