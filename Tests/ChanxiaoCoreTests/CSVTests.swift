import ChanxiaoCore
import Foundation
import Testing

private func table(_ text: String) throws(ValidationFailure) -> CSVTable {
    try CSVTable.parse(Array(text.utf8))
}

/// The rows of a table as (row number, cells), for comparison.
private func rows(_ table: CSVTable) -> [[String]] {
    table.rows.map { ["\($0.number)"] + $0.cells }
}

struct CSVCase: Sendable, CustomTestStringConvertible {
    var text: String
    var header: [String]
    /// Each row as its number followed by its cells.
    var rows: [[String]]
    var testDescription: String { text.debugDescription }

    init(_ text: String, header: [String], rows: [[String]]) {
        self.text = text
        self.header = header
        self.rows = rows
    }
}

struct CSVErrorCase: Sendable, CustomTestStringConvertible {
    var bytes: [UInt8]
    var errors: [FieldError]
    var testDescription: String { String(decoding: bytes, as: UTF8.self).debugDescription }

    init(_ text: String, _ errors: [FieldError]) {
        self.bytes = Array(text.utf8)
        self.errors = errors
    }

    init(bytes: [UInt8], _ errors: [FieldError]) {
        self.bytes = bytes
        self.errors = errors
    }
}

@Suite("CSVTable")
struct CSVTableTests {
    @Test(
        "parses",
        arguments: [
            CSVCase("a,b\n1,2\n", header: ["a", "b"], rows: [["2", "1", "2"]]),
            CSVCase("a,b\r\n1,2\r\n3,4\r\n", header: ["a", "b"], rows: [["2", "1", "2"], ["3", "3", "4"]]),  // CRLF
            CSVCase("a,b\n1,2", header: ["a", "b"], rows: [["2", "1", "2"]]),  // no trailing newline
            CSVCase("a,b\r\n1,2", header: ["a", "b"], rows: [["2", "1", "2"]]),
            CSVCase("a,b\n", header: ["a", "b"], rows: []),  // header only
            CSVCase("a,b", header: ["a", "b"], rows: []),
            CSVCase(" a , b \n 1 , 2 \n", header: ["a", "b"], rows: [["2", " 1 ", " 2 "]]),  // header names are trimmed, cells are not
            CSVCase("a,b,c\n1,,\n", header: ["a", "b", "c"], rows: [["2", "1", "", ""]]),
            CSVCase("a,b\n\"x, y\",2\n", header: ["a", "b"], rows: [["2", "x, y", "2"]]),  // comma in quotes
            CSVCase("a,b\n\"say \"\"hi\"\"\",\"\"\"\"\n", header: ["a", "b"], rows: [["2", "say \"hi\"", "\""]]),  // doubled quotes
            CSVCase("a,b\n\"\",2\n", header: ["a", "b"], rows: [["2", "", "2"]]),  // a quoted empty cell
            CSVCase("a,b\n\"line1\nline2\",2\n3,4\n", header: ["a", "b"], rows: [["2", "line1\nline2", "2"], ["3", "3", "4"]]),
            CSVCase("a,b\r\n\"l1\r\nl2\r\nl3\",2\r\n3,4\r\n", header: ["a", "b"], rows: [["2", "l1\r\nl2\r\nl3", "2"], ["3", "3", "4"]]),
            CSVCase("\"a\nb\",c\n1,2\n", header: ["a\nb", "c"], rows: [["2", "1", "2"]]),  // a line break in the header
            CSVCase("a,b\n\n1,2\n\n\n3,4\n\n", header: ["a", "b"], rows: [["3", "1", "2"], ["6", "3", "4"]]),  // blank lines are rows
            CSVCase("\n\na,b\n1,2\n", header: ["a", "b"], rows: [["4", "1", "2"]]),
            CSVCase("\u{FEFF}a,b\n1,2\n", header: ["a", "b"], rows: [["2", "1", "2"]]),  // BOM
            CSVCase(
                "名称,县\n定远大米,定远县\n\"五常,大米\",\"宾阳\n县\"\n",
                header: ["名称", "县"],
                rows: [["2", "定远大米", "定远县"], ["3", "五常,大米", "宾阳\n县"]]
            ),
            CSVCase("a\n1\n2\n", header: ["a"], rows: [["2", "1"], ["3", "2"]]),
        ]
    )
    func parses(_ test: CSVCase) throws {
        let parsed = try table(test.text)
        #expect(parsed.header == test.header)
        #expect(rows(parsed) == test.rows)
    }

    @Test(
        "reports structural problems with their rows",
        arguments: [
            CSVErrorCase(
                "a,b\n1\n1,2,3\n",
                [
                    FieldError(field: "file", message: "has 1 cells but the header has 2", row: 2),
                    FieldError(field: "file", message: "has 3 cells but the header has 2", row: 3),
                ]
            ),
            CSVErrorCase(
                "a,b\n\"x\ny\nz\",1\n1,2,3\n",
                [  // the row after a quoted line break
                    FieldError(field: "file", message: "has 3 cells but the header has 2", row: 3)
                ]
            ),
            CSVErrorCase("a,b\n\"x\r\ny\",1,0\n", [FieldError(field: "file", message: "has 3 cells but the header has 2", row: 2)]),
            CSVErrorCase("a,a,b\n1,2,3\n", [FieldError(field: "a", message: "column appears twice in the header", row: 1)]),
            CSVErrorCase("a,,b\n1,2,3\n", [FieldError(field: "header", message: "a column has no name", row: 1)]),
            CSVErrorCase("a, ,b\n", [FieldError(field: "header", message: "a column has no name", row: 1)]),
            CSVErrorCase("a,b\n1,\"open\n2,3\n", [FieldError(field: "file", message: "a quoted cell is never closed", row: 2)]),
            CSVErrorCase("a,b\n1,2\n\"x\ny\",1\n3,\"open", [FieldError(field: "file", message: "a quoted cell is never closed", row: 4)]),
            CSVErrorCase("a,b\n\"x\"y,2\n", [FieldError(field: "file", message: "text after a closing quote", row: 2)]),
            CSVErrorCase("a,b\n\"x\" ,2\n", [FieldError(field: "file", message: "text after a closing quote", row: 2)]),
            CSVErrorCase(
                "a,b\nx\"y,2\n",
                [
                    FieldError(field: "file", message: "a quote (\") inside an unquoted cell; quote the whole cell and double inner quotes", row: 2)
                ]
            ),
            CSVErrorCase(
                " \"a\",b\n",
                [
                    FieldError(field: "file", message: "a quote (\") inside an unquoted cell; quote the whole cell and double inner quotes", row: 1),
                    FieldError(field: "file", message: "a quote (\") inside an unquoted cell; quote the whole cell and double inner quotes", row: 1),
                ]
            ),
            CSVErrorCase("", [FieldError(field: "file", message: "the file is empty; it needs a header row", row: 1)]),
            CSVErrorCase("\n\r\n\n", [FieldError(field: "file", message: "the file is empty; it needs a header row", row: 1)]),
            CSVErrorCase(bytes: [0xEF, 0xBB, 0xBF], [FieldError(field: "file", message: "the file is empty; it needs a header row", row: 1)]),
            CSVErrorCase(
                bytes: Array("a,b\n".utf8) + [0xFF, 0xFE] + Array(",x\n".utf8),
                [
                    FieldError(field: "file", message: "cell 1 is not valid UTF-8; save the file as UTF-8", row: 2)
                ]
            ),
            CSVErrorCase(
                bytes: Array("a,b\nx,".utf8) + [0xE5, 0xAE] + Array("\n".utf8),
                [  // a truncated 定
                    FieldError(field: "file", message: "cell 2 is not valid UTF-8; save the file as UTF-8", row: 2)
                ]
            ),
            CSVErrorCase(
                "a,a,\n1\n\"x",
                [  // several problems at once
                    FieldError(field: "file", message: "a quoted cell is never closed", row: 3),
                    FieldError(field: "a", message: "column appears twice in the header", row: 1),
                    FieldError(field: "header", message: "a column has no name", row: 1),
                    FieldError(field: "file", message: "has 1 cells but the header has 3", row: 2),
                ]
            ),
        ]
    )
    func errors(_ test: CSVErrorCase) {
        #expect(throws: ValidationFailure(test.errors)) { try CSVTable.parse(test.bytes) }
    }

    @Test func records() throws {
        let parsed = try table("code,name\n341125,定远县\n450126,宾阳县\n")
        let records = parsed.records
        #expect(records.map(\.number) == [2, 3])
        #expect(records.map(\.cells) == [["code": "341125", "name": "定远县"], ["code": "450126", "name": "宾阳县"]])
    }
}

@Suite("CSVWriter")
struct CSVWriterTests {
    @Test(
        "escape quotes only where needed",
        arguments: [
            ("plain", "plain"),
            ("", ""),
            ("定远县", "定远县"),
            ("9;10;11", "9;10;11"),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("\"", "\"\"\"\""),
            ("l1\nl2", "\"l1\nl2\""),
            ("l1\rl2", "\"l1\rl2\""),
            ("l1\r\nl2", "\"l1\r\nl2\""),
            ("\r\n", "\"\r\n\""),
            (" lead", "\" lead\""),
            ("trail ", "\"trail \""),
            ("in side", "in side"),
        ]
    )
    func escape(cell: String, expected: String) {
        #expect(CSVWriter.escape(cell) == expected)
    }

    @Test func line() {
        #expect(CSVWriter.line(["a", "b,c", ""]) == "a,\"b,c\",\r\n")
        #expect(CSVWriter.line([]) == "\r\n")
    }

    static let awkwardCells: [[String]] = [
        ["plain", "定远县", ""],
        ["a,b", "say \"hi\"", "\"\""],
        ["l1\nl2", "l1\r\nl2", " lead"],
        ["trail ", "五常,\"大米\"\n第二行", "9;10;11"],
        ["", "", "x"],
        ["\t", "🍚", "a\rb"],
    ]

    @Test("writer output parses back to the same cells")
    func roundTrip() throws {
        let header = ["名称", "description", "notes"]
        let text = CSVWriter.line(header) + Self.awkwardCells.map(CSVWriter.line).joined()
        let parsed = try CSVTable.parse(Array(text.utf8))
        #expect(parsed.header == header)
        #expect(parsed.rows.map(\.cells) == Self.awkwardCells)
        // Spreadsheet rows: one per record, whatever line breaks the cells hold.
        #expect(parsed.rows.map(\.number) == Array(2...(Self.awkwardCells.count + 1)))
    }

    @Test("catalog rows survive export and import")
    func entityRoundTrip() throws {
        let products = [
            Product(
                id: "prd_1",
                supplierID: "sup_1",
                name: "五常\"稻花香\",大米",
                category: .grainOil,
                unit: .kg,
                unitPriceFen: 650,
                weeklyCapacity: 5000,
                minOrder: 10,
                seasonMonths: [9, 10],
                coldChain: true,
                createdAt: testNow,
                updatedAt: testNow
            ),
            Product(
                id: "prd_2",
                supplierID: "sup_1",
                name: " 茶\n叶 ",
                category: .tea,
                unit: .box,
                unitPriceFen: 1,
                weeklyCapacity: 1,
                createdAt: testNow,
                updatedAt: testNow
            ),
        ]
        let text = CSVWriter.line(Product.writableFields) + products.map { CSVWriter.line($0.csvRow) }.joined()
        let parsed = try CSVTable.parse(Array(text.utf8))
        let imported = parsed.records.map { Product.parse(reader: FieldReader(text: $0.cells, row: $0.number), context: testContext) }
        #expect(imported.count == 2)
        #expect(imported[0] == .success(products[0]))
        // Names are trimmed and may not hold control characters: the second row fails, on its own row.
        #expect(imported[1].failure?.errors == [FieldError(field: "name", message: "must not contain control characters", row: 3)])
    }
}
