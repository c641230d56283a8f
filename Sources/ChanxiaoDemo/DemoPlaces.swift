import ChanxiaoCore

/// The places and organisations of the demo, and the reference figures it is built from.
enum DemoPlaces {
    struct Offer {
        var name: String
        var category: ProductCategory
        var unit: MeasureUnit
        var priceFen: Int
        var capacity: Int
        var months: [Int] = []
        var coldChain = false
    }

    struct Place {
        var code: String
        var name: String
        var city: String
        var status: PovertyStatus
        var paired: [String]
        var products: [Offer]
        var coopName = "助农"
        var companyName = "山水"

        var shortName: String {
            for suffix in ["各族自治县", "苗族自治县", "侗族自治县", "瑶族自治县", "自治县", "县", "市", "区"] where name.hasSuffix(suffix) {
                return String(name.dropLast(suffix.count))
            }
            return name
        }
    }

    struct Organisation {
        var id: String
        var name: String
        var kind: BuyerKind
        var region: String
        var network: String?
        var target: Double? = nil
    }

    struct Reference {
        var unit: MeasureUnit
        var priceFen: Int
        /// Demand volume relative to a buyer's base (×10).
        var volumeScale: Int
    }

    static let reference: [ProductCategory: Reference] = [
        .grainOil: Reference(unit: .kg, priceFen: 900, volumeScale: 30),
        .meatPoultryEgg: Reference(unit: .kg, priceFen: 4800, volumeScale: 10),
        .vegetables: Reference(unit: .kg, priceFen: 600, volumeScale: 25),
        .fruit: Reference(unit: .kg, priceFen: 1200, volumeScale: 15),
        .aquatic: Reference(unit: .kg, priceFen: 3600, volumeScale: 6),
        .tea: Reference(unit: .box, priceFen: 16800, volumeScale: 2),
        .mountainGoods: Reference(unit: .kg, priceFen: 8000, volumeScale: 3),
        .condiments: Reference(unit: .bottle, priceFen: 1500, volumeScale: 5),
        .drinks: Reference(unit: .bottle, priceFen: 6800, volumeScale: 3),
        .processed: Reference(unit: .bag, priceFen: 2200, volumeScale: 5),
    ]

    static func weeklyBase(for kind: BuyerKind) -> Int {
        switch kind {
        case .canteen: 80
        case .union: 150
        case .center: 400
        case .supermarket: 250
        case .counter: 40
        case .hall: 120
        case .budgetUnit: 100
        }
    }

    /// What each kind of buyer typically buys, most important first.
    static func categories(for kind: BuyerKind) -> [ProductCategory] {
        switch kind {
        case .canteen: [.grainOil, .vegetables, .meatPoultryEgg, .fruit, .condiments, .aquatic]
        case .union: [.tea, .mountainGoods, .grainOil, .fruit, .drinks, .processed]
        case .center: [.fruit, .mountainGoods, .tea, .grainOil, .processed, .meatPoultryEgg]
        case .supermarket: [.fruit, .vegetables, .grainOil, .meatPoultryEgg, .processed, .condiments]
        case .counter: [.processed, .tea, .mountainGoods, .drinks, .condiments]
        case .hall: [.tea, .mountainGoods, .processed, .fruit, .drinks]
        case .budgetUnit: [.grainOil, .meatPoultryEgg, .vegetables, .fruit, .tea]
        }
    }

    /// Generic products that round a county's offer up to five.
    static func fillers(for place: Place, count: Int, random: inout SplitMix64) -> [Offer] {
        guard count > 0 else { return [] }
        let pool: [Offer] = [
            Offer(name: "生态大米", category: .grainOil, unit: .kg, priceFen: 800, capacity: 8000),
            Offer(name: "山茶油", category: .grainOil, unit: .kg, priceFen: 9800, capacity: 600),
            Offer(name: "土鸡蛋", category: .meatPoultryEgg, unit: .kg, priceFen: 2600, capacity: 1500),
            Offer(name: "生态黑猪肉", category: .meatPoultryEgg, unit: .kg, priceFen: 5200, capacity: 1200, coldChain: true),
            Offer(name: "高山蔬菜", category: .vegetables, unit: .kg, priceFen: 500, capacity: 6000),
            Offer(name: "鲜竹笋", category: .vegetables, unit: .kg, priceFen: 900, capacity: 2500, months: [3, 4, 5, 6]),
            Offer(name: "香菇干", category: .mountainGoods, unit: .kg, priceFen: 7600, capacity: 400),
            Offer(name: "黑木耳", category: .mountainGoods, unit: .kg, priceFen: 8800, capacity: 350),
            Offer(name: "红薯粉丝", category: .processed, unit: .bag, priceFen: 1800, capacity: 3000),
            Offer(name: "农家腊肉", category: .processed, unit: .bag, priceFen: 4200, capacity: 900),
            Offer(name: "手工米粉", category: .processed, unit: .bag, priceFen: 1200, capacity: 4000),
            Offer(name: "剁辣椒", category: .condiments, unit: .bottle, priceFen: 1300, capacity: 5000),
            Offer(name: "高山绿茶", category: .tea, unit: .box, priceFen: 15800, capacity: 300),
            Offer(name: "农家米酒", category: .drinks, unit: .bottle, priceFen: 4800, capacity: 1200),
            Offer(name: "稻田鱼", category: .aquatic, unit: .kg, priceFen: 3800, capacity: 800, coldChain: true),
            Offer(name: "土鸡", category: .meatPoultryEgg, unit: .kg, priceFen: 4600, capacity: 900, coldChain: true),
        ]
        var taken = Set(place.products.map(\.category))
        var offers: [Offer] = []
        var start = Int(random.next() % UInt64(pool.count))
        while offers.count < count {
            var offer = pool[start % pool.count]
            start += 1
            if taken.contains(offer.category), offers.count + taken.count < 8 { continue }
            taken.insert(offer.category)
            offer.name = place.shortName + offer.name
            offers.append(offer)
        }
        return offers
    }

    /// Counties with a blacklisted supplier, to show that blacklisting makes a supplier ineligible.
    static let blacklistedSupplierCounties: Set<String> = ["451029", "341126"]

    // Shenzhen districts that pair with Guangxi counties (seed 000: 对口帮扶地区).
    private static let shenzhenDistricts = ["440304", "440303", "440305", "440306", "440307", "440308", "440309", "440310", "440311"]
    private static func shenzhen(_ index: Int) -> [String] { ["440300", shenzhenDistricts[index % shenzhenDistricts.count]] }

    static let counties: [Place] = [
        // 广西: the 33 nationally designated poverty counties (seed 001), the 8 not yet lifted in 2020 marked deep.
        Place(
            code: "450123",
            name: "隆安县",
            city: "南宁市",
            status: .national,
            paired: ["440000"],
            products: [Offer(name: "隆安香蕉", category: .fruit, unit: .kg, priceFen: 500, capacity: 12000)]
        ),
        Place(
            code: "450124",
            name: "马山县",
            city: "南宁市",
            status: .national,
            paired: ["440000"],
            products: [Offer(name: "马山黑山羊", category: .meatPoultryEgg, unit: .kg, priceFen: 7800, capacity: 800, coldChain: true)]
        ),
        Place(
            code: "450125",
            name: "上林县",
            city: "南宁市",
            status: .national,
            paired: ["440000"],
            products: [Offer(name: "上林大米", category: .grainOil, unit: .kg, priceFen: 780, capacity: 15000)]
        ),
        Place(
            code: "450224",
            name: "融安县",
            city: "柳州市",
            status: .national,
            paired: ["440000"],
            products: [Offer(name: "融安金桔", category: .fruit, unit: .kg, priceFen: 1600, capacity: 5000, months: [11, 12, 1, 2])]
        ),
        Place(
            code: "450225",
            name: "融水苗族自治县",
            city: "柳州市",
            status: .deep,
            paired: ["440000"],
            products: [
                Offer(name: "融水香粽", category: .processed, unit: .bag, priceFen: 2600, capacity: 3000),
                Offer(name: "融水田鲤", category: .aquatic, unit: .kg, priceFen: 4200, capacity: 900, coldChain: true),
            ]
        ),
        Place(
            code: "450226",
            name: "三江侗族自治县",
            city: "柳州市",
            status: .deep,
            paired: ["440000"],
            products: [
                Offer(name: "三江早春茶", category: .tea, unit: .box, priceFen: 16800, capacity: 600),
                Offer(name: "三江油茶", category: .processed, unit: .bag, priceFen: 1500, capacity: 4000),
            ]
        ),
        Place(
            code: "450328",
            name: "龙胜各族自治县",
            city: "桂林市",
            status: .national,
            paired: ["440000"],
            products: [Offer(name: "龙脊梯田红糯米", category: .grainOil, unit: .kg, priceFen: 1400, capacity: 4000)]
        ),
        Place(
            code: "450329",
            name: "资源县",
            city: "桂林市",
            status: .national,
            paired: ["440000"],
            products: [Offer(name: "资源红提", category: .fruit, unit: .kg, priceFen: 1800, capacity: 3000, months: [8, 9, 10])]
        ),
        Place(
            code: "451003",
            name: "田阳区",
            city: "百色市",
            status: .national,
            paired: shenzhen(0),
            products: [
                Offer(name: "田阳香芒", category: .fruit, unit: .kg, priceFen: 1000, capacity: 20000, months: [6, 7, 8, 9]),
                Offer(name: "田阳番茄", category: .vegetables, unit: .kg, priceFen: 600, capacity: 15000, months: [11, 12, 1, 2, 3, 4]),
            ]
        ),
        Place(
            code: "451022",
            name: "田东县",
            city: "百色市",
            status: .national,
            paired: shenzhen(1),
            products: [Offer(name: "田东香芒", category: .fruit, unit: .kg, priceFen: 1100, capacity: 18000, months: [6, 7, 8, 9])]
        ),
        Place(
            code: "451024",
            name: "德保县",
            city: "百色市",
            status: .national,
            paired: shenzhen(2),
            products: [Offer(name: "德保脐橙", category: .fruit, unit: .kg, priceFen: 900, capacity: 10000, months: [11, 12, 1])]
        ),
        Place(
            code: "451026",
            name: "那坡县",
            city: "百色市",
            status: .deep,
            paired: shenzhen(3),
            products: [
                Offer(name: "那坡桑蚕茧丝被", category: .processed, unit: .piece, priceFen: 39800, capacity: 200),
                Offer(name: "那坡八角", category: .condiments, unit: .bottle, priceFen: 1800, capacity: 3000),
            ]
        ),
        Place(
            code: "451027",
            name: "凌云县",
            city: "百色市",
            status: .national,
            paired: shenzhen(4),
            products: [Offer(name: "凌云白毫茶", category: .tea, unit: .box, priceFen: 19800, capacity: 800)]
        ),
        Place(
            code: "451028",
            name: "乐业县",
            city: "百色市",
            status: .deep,
            paired: shenzhen(5),
            products: [
                Offer(name: "乐业猕猴桃", category: .fruit, unit: .kg, priceFen: 1600, capacity: 6000, months: [9, 10, 11, 12]),
                Offer(name: "乐业顶坛花茶", category: .tea, unit: .box, priceFen: 12800, capacity: 400),
            ]
        ),
        Place(
            code: "451029",
            name: "田林县",
            city: "百色市",
            status: .national,
            paired: shenzhen(6),
            products: [Offer(name: "田林八渡笋", category: .vegetables, unit: .kg, priceFen: 1200, capacity: 5000)]
        ),
        Place(
            code: "451030",
            name: "西林县",
            city: "百色市",
            status: .national,
            paired: shenzhen(7),
            products: [Offer(name: "西林砂糖橘", category: .fruit, unit: .kg, priceFen: 800, capacity: 16000, months: [11, 12, 1, 2])]
        ),
        Place(
            code: "451031",
            name: "隆林各族自治县",
            city: "百色市",
            status: .deep,
            paired: shenzhen(8),
            products: [
                Offer(name: "隆林黑山羊", category: .meatPoultryEgg, unit: .kg, priceFen: 8200, capacity: 700, coldChain: true),
                Offer(name: "隆林黄牛肉", category: .meatPoultryEgg, unit: .kg, priceFen: 9800, capacity: 500, coldChain: true),
            ]
        ),
        Place(
            code: "451081",
            name: "靖西市",
            city: "百色市",
            status: .national,
            paired: shenzhen(9),
            products: [Offer(name: "靖西大香糯", category: .grainOil, unit: .kg, priceFen: 1200, capacity: 6000)]
        ),
        Place(
            code: "451121",
            name: "昭平县",
            city: "贺州市",
            status: .national,
            paired: ["440000"],
            products: [Offer(name: "昭平红茶", category: .tea, unit: .box, priceFen: 15800, capacity: 700)]
        ),
        Place(
            code: "451123",
            name: "富川瑶族自治县",
            city: "贺州市",
            status: .national,
            paired: ["440000"],
            products: [Offer(name: "富川脐橙", category: .fruit, unit: .kg, priceFen: 900, capacity: 14000, months: [11, 12, 1])]
        ),
        Place(
            code: "451222",
            name: "天峨县",
            city: "河池市",
            status: .national,
            paired: shenzhen(10),
            products: [Offer(name: "天峨珍珠李", category: .fruit, unit: .kg, priceFen: 1400, capacity: 5000, months: [6, 7])]
        ),
        Place(
            code: "451223",
            name: "凤山县",
            city: "河池市",
            status: .national,
            paired: shenzhen(11),
            products: [Offer(name: "凤山核桃", category: .mountainGoods, unit: .kg, priceFen: 6800, capacity: 800)]
        ),
        Place(
            code: "451224",
            name: "东兰县",
            city: "河池市",
            status: .national,
            paired: shenzhen(12),
            products: [
                Offer(name: "东兰墨米", category: .grainOil, unit: .kg, priceFen: 1600, capacity: 3000),
                Offer(name: "东兰板栗", category: .mountainGoods, unit: .kg, priceFen: 2600, capacity: 2000, months: [9, 10, 11]),
            ]
        ),
        Place(
            code: "451225",
            name: "罗城仫佬族自治县",
            city: "河池市",
            status: .deep,
            paired: shenzhen(13),
            products: [Offer(name: "罗城毛葡萄酒", category: .drinks, unit: .bottle, priceFen: 8800, capacity: 2000)]
        ),
        Place(
            code: "451226",
            name: "环江毛南族自治县",
            city: "河池市",
            status: .national,
            paired: shenzhen(14),
            products: [Offer(name: "环江香牛", category: .meatPoultryEgg, unit: .kg, priceFen: 9600, capacity: 600, coldChain: true)]
        ),
        Place(
            code: "451227",
            name: "巴马瑶族自治县",
            city: "河池市",
            status: .national,
            paired: shenzhen(15),
            products: [
                Offer(name: "巴马香猪", category: .meatPoultryEgg, unit: .kg, priceFen: 6800, capacity: 900, coldChain: true),
                Offer(name: "巴马火麻油", category: .grainOil, unit: .bottle, priceFen: 12800, capacity: 800),
            ]
        ),
        Place(
            code: "451228",
            name: "都安瑶族自治县",
            city: "河池市",
            status: .deep,
            paired: shenzhen(16),
            products: [Offer(name: "都安山羊", category: .meatPoultryEgg, unit: .kg, priceFen: 7600, capacity: 900, coldChain: true)]
        ),
        Place(
            code: "451229",
            name: "大化瑶族自治县",
            city: "河池市",
            status: .deep,
            paired: shenzhen(17),
            products: [Offer(name: "大化红水河鱼", category: .aquatic, unit: .kg, priceFen: 4800, capacity: 1200, coldChain: true)]
        ),
        Place(
            code: "451321",
            name: "忻城县",
            city: "来宾市",
            status: .national,
            paired: ["440000"],
            products: [Offer(name: "忻城糯玉米", category: .vegetables, unit: .kg, priceFen: 700, capacity: 8000, months: [6, 7, 8, 9, 10])]
        ),
        Place(
            code: "451324",
            name: "金秀瑶族自治县",
            city: "来宾市",
            status: .national,
            paired: ["440000"],
            products: [Offer(name: "金秀野生甜茶", category: .tea, unit: .box, priceFen: 9800, capacity: 500)]
        ),
        Place(
            code: "451423",
            name: "龙州县",
            city: "崇左市",
            status: .national,
            paired: ["440000"],
            products: [Offer(name: "龙州澳洲坚果", category: .mountainGoods, unit: .kg, priceFen: 9800, capacity: 600, months: [9, 10, 11, 12])]
        ),
        Place(
            code: "451424",
            name: "大新县",
            city: "崇左市",
            status: .national,
            paired: ["440000"],
            products: [Offer(name: "大新苦丁茶", category: .tea, unit: .box, priceFen: 8800, capacity: 900)]
        ),
        Place(
            code: "451425",
            name: "天等县",
            city: "崇左市",
            status: .national,
            paired: ["440000"],
            products: [Offer(name: "天等指天椒酱", category: .condiments, unit: .bottle, priceFen: 1200, capacity: 8000)]
        ),

        // 湖南 (seed 002): 湘西州 paired with 济南 (东西部协作), 永顺 with 湘潭, seven counties with Changsha districts.
        Place(
            code: "433122",
            name: "泸溪县",
            city: "湘西土家族苗族自治州",
            status: .national,
            paired: ["370100"],
            products: [Offer(name: "泸溪椪柑", category: .fruit, unit: .kg, priceFen: 600, capacity: 15000, months: [11, 12, 1, 2])]
        ),
        Place(
            code: "433123",
            name: "凤凰县",
            city: "湘西土家族苗族自治州",
            status: .national,
            paired: ["370100"],
            products: [Offer(name: "菖蒲塘红心猕猴桃", category: .fruit, unit: .kg, priceFen: 1800, capacity: 6000, months: [9, 10, 11])]
        ),
        Place(
            code: "433124",
            name: "花垣县",
            city: "湘西土家族苗族自治州",
            status: .national,
            paired: ["370100"],
            products: [Offer(name: "十八洞村腊肉", category: .processed, unit: .bag, priceFen: 5800, capacity: 1500)]
        ),
        Place(
            code: "433125",
            name: "保靖县",
            city: "湘西土家族苗族自治州",
            status: .national,
            paired: ["370100"],
            products: [Offer(name: "保靖黄金茶", category: .tea, unit: .box, priceFen: 22800, capacity: 700)]
        ),
        Place(
            code: "433126",
            name: "古丈县",
            city: "湘西土家族苗族自治州",
            status: .national,
            paired: ["370100"],
            products: [Offer(name: "古丈毛尖", category: .tea, unit: .box, priceFen: 18800, capacity: 800)]
        ),
        Place(
            code: "433127",
            name: "永顺县",
            city: "湘西土家族苗族自治州",
            status: .national,
            paired: ["370100", "430300"],
            products: [
                Offer(name: "永顺松柏大米", category: .grainOil, unit: .kg, priceFen: 900, capacity: 12000),
                Offer(name: "永顺猕猴桃", category: .fruit, unit: .kg, priceFen: 1400, capacity: 8000, months: [9, 10, 11, 12]),
            ]
        ),
        Place(
            code: "433130",
            name: "龙山县",
            city: "湘西土家族苗族自治州",
            status: .national,
            paired: ["370100"],
            products: [
                Offer(name: "龙山百合", category: .mountainGoods, unit: .kg, priceFen: 6800, capacity: 2000),
                Offer(name: "龙山萝卜", category: .vegetables, unit: .kg, priceFen: 300, capacity: 20000, months: [10, 11, 12, 1]),
            ]
        ),
        Place(
            code: "430822",
            name: "桑植县",
            city: "张家界市",
            status: .lifted,
            paired: ["430105"],
            products: [Offer(name: "桑植白茶", category: .tea, unit: .box, priceFen: 16800, capacity: 600)]
        ),
        Place(
            code: "431322",
            name: "新化县",
            city: "娄底市",
            status: .lifted,
            paired: ["430102"],
            products: [Offer(name: "新化红茶", category: .tea, unit: .box, priceFen: 12800, capacity: 700)]
        ),
        Place(
            code: "430923",
            name: "安化县",
            city: "益阳市",
            status: .lifted,
            paired: ["430103"],
            products: [Offer(name: "安化黑茶", category: .tea, unit: .box, priceFen: 13800, capacity: 2000)]
        ),
        Place(
            code: "430626",
            name: "平江县",
            city: "岳阳市",
            status: .lifted,
            paired: ["430104"],
            products: [Offer(name: "平江酱干", category: .processed, unit: .bag, priceFen: 1600, capacity: 6000)]
        ),
        Place(
            code: "430426",
            name: "祁东县",
            city: "衡阳市",
            status: .lifted,
            paired: [],
            products: [Offer(name: "祁东黄花菜", category: .mountainGoods, unit: .kg, priceFen: 5800, capacity: 3000)]
        ),
        Place(
            code: "430529",
            name: "城步苗族自治县",
            city: "邵阳市",
            status: .lifted,
            paired: ["430111"],
            products: [Offer(name: "城步峒茶", category: .tea, unit: .box, priceFen: 11800, capacity: 400)]
        ),
        Place(
            code: "431230",
            name: "通道侗族自治县",
            city: "怀化市",
            status: .lifted,
            paired: ["430112"],
            products: [Offer(name: "通道黑老虎", category: .fruit, unit: .kg, priceFen: 3800, capacity: 800, months: [8, 9, 10])]
        ),
        Place(
            code: "431222",
            name: "沅陵县",
            city: "怀化市",
            status: .lifted,
            paired: ["430121"],
            products: [Offer(name: "沅陵碣滩茶", category: .tea, unit: .box, priceFen: 15800, capacity: 600)]
        ),
        Place(
            code: "431226",
            name: "麻阳苗族自治县",
            city: "怀化市",
            status: .lifted,
            paired: [],
            products: [Offer(name: "麻阳冰糖橙", category: .fruit, unit: .kg, priceFen: 800, capacity: 18000, months: [11, 12, 1])]
        ),
        Place(
            code: "431129",
            name: "江华瑶族自治县",
            city: "永州市",
            status: .lifted,
            paired: [],
            products: [Offer(name: "江华苦茶", category: .tea, unit: .box, priceFen: 10800, capacity: 500)]
        ),
        Place(
            code: "431026",
            name: "汝城县",
            city: "郴州市",
            status: .lifted,
            paired: [],
            products: [Offer(name: "汝城朝天椒", category: .condiments, unit: .bottle, priceFen: 1400, capacity: 6000)]
        ),
        Place(
            code: "430224",
            name: "茶陵县",
            city: "株洲市",
            status: .lifted,
            paired: [],
            products: [Offer(name: "茶陵大蒜", category: .vegetables, unit: .kg, priceFen: 1000, capacity: 8000)]
        ),
        Place(
            code: "430225",
            name: "炎陵县",
            city: "株洲市",
            status: .lifted,
            paired: [],
            products: [Offer(name: "炎陵黄桃", category: .fruit, unit: .kg, priceFen: 2200, capacity: 6000, months: [7, 8, 9])]
        ),

        // 安徽滁州 (seed 003): five counties with poverty-alleviation tasks, three without.
        Place(
            code: "341125",
            name: "定远县",
            city: "滁州市",
            status: .provincial,
            paired: [],
            products: [Offer(name: "定远青虾", category: .aquatic, unit: .kg, priceFen: 6800, capacity: 800, coldChain: true)]
        ),
        Place(
            code: "341126",
            name: "凤阳县",
            city: "滁州市",
            status: .provincial,
            paired: [],
            products: [
                Offer(name: "小岗村大米", category: .grainOil, unit: .kg, priceFen: 900, capacity: 20000),
                Offer(name: "凤阳花生", category: .mountainGoods, unit: .kg, priceFen: 1800, capacity: 6000),
            ]
        ),
        Place(
            code: "341182",
            name: "明光市",
            city: "滁州市",
            status: .provincial,
            paired: [],
            products: [Offer(name: "明光绿豆", category: .grainOil, unit: .kg, priceFen: 1400, capacity: 8000)]
        ),
        Place(
            code: "341122",
            name: "来安县",
            city: "滁州市",
            status: .provincial,
            paired: [],
            products: [Offer(name: "来安黄桥鸭", category: .meatPoultryEgg, unit: .kg, priceFen: 3600, capacity: 1500, coldChain: true)]
        ),
        Place(
            code: "341124",
            name: "全椒县",
            city: "滁州市",
            status: .provincial,
            paired: [],
            products: [
                Offer(name: "全椒龙虾", category: .aquatic, unit: .kg, priceFen: 5800, capacity: 1500, months: [4, 5, 6, 7, 8, 9], coldChain: true)
            ]
        ),
        Place(
            code: "341181",
            name: "天长市",
            city: "滁州市",
            status: .none,
            paired: [],
            products: [Offer(name: "天长芡实", category: .mountainGoods, unit: .kg, priceFen: 4800, capacity: 1000)]
        ),
        Place(
            code: "341102",
            name: "琅琊区",
            city: "滁州市",
            status: .none,
            paired: [],
            products: [Offer(name: "滁菊", category: .tea, unit: .box, priceFen: 9800, capacity: 600)]
        ),
        Place(
            code: "341103",
            name: "南谯区",
            city: "滁州市",
            status: .none,
            paired: [],
            products: [Offer(name: "南谯山核桃", category: .mountainGoods, unit: .kg, priceFen: 7800, capacity: 500)]
        ),

        // 河南 (seed 004): 济源示范区 and 淮阳, whose products are signed into Jiyuan's supermarkets.
        Place(
            code: "419001",
            name: "济源市",
            city: "济源产城融合示范区",
            status: .provincial,
            paired: [],
            products: [
                Offer(name: "王屋山冬凌草茶", category: .tea, unit: .box, priceFen: 8800, capacity: 800),
                Offer(name: "邵原小米", category: .grainOil, unit: .kg, priceFen: 1000, capacity: 6000),
                Offer(name: "济源薄皮核桃", category: .mountainGoods, unit: .kg, priceFen: 3200, capacity: 2000),
            ]
        ),
        Place(
            code: "411603",
            name: "淮阳区",
            city: "周口市",
            status: .lifted,
            paired: [],
            products: [Offer(name: "淮阳黄花菜", category: .mountainGoods, unit: .kg, priceFen: 5200, capacity: 2500)]
        ),
    ]

    static let buyers: [Organisation] = {
        let sz = "shenzhen-1+10"
        var list: [Organisation] = [
            // 深圳 "1+10" 消费扶贫中心 (seed 000 §四(三)): one city center and ten district centers.
            Organisation(id: "buy-sz-haijixing", name: "深圳海吉星消费扶贫中心", kind: .center, region: "440300", network: sz)
        ]
        let districts: [(String, String, String)] = [
            ("futian", "福田区", "440304"), ("luohu", "罗湖区", "440303"), ("nanshan", "南山区", "440305"),
            ("yantian", "盐田区", "440308"), ("baoan", "宝安区", "440306"), ("longgang", "龙岗区", "440307"),
            ("longhua", "龙华区", "440309"), ("pingshan", "坪山区", "440310"), ("guangming", "光明区", "440311"),
            ("dapeng", "大鹏新区", "440300"),
        ]
        list += districts.map { Organisation(id: "buy-sz-\($0.0)-center", name: "\($0.1)消费扶贫中心", kind: .center, region: $0.2, network: sz) }
        list += [
            Organisation(id: "buy-sz-jiguan-canteen", name: "深圳市机关事务管理局机关食堂", kind: .canteen, region: "440304"),
            Organisation(id: "buy-sz-szu-canteen", name: "深圳大学学生食堂", kind: .canteen, region: "440305"),
            Organisation(id: "buy-sz-hospital-canteen", name: "深圳市人民医院职工食堂", kind: .canteen, region: "440303"),
            Organisation(id: "buy-sz-union", name: "深圳市总工会", kind: .union, region: "440300"),
            Organisation(id: "buy-sz-education", name: "深圳市教育局", kind: .budgetUnit, region: "440300"),
            Organisation(id: "buy-sz-sasac", name: "深圳市国资委", kind: .budgetUnit, region: "440300"),
            Organisation(id: "buy-sz-north-station-counter", name: "深圳北站消费扶贫专柜", kind: .counter, region: "440309"),
            Organisation(id: "buy-sz-airport-counter", name: "深圳宝安国际机场消费扶贫专柜", kind: .counter, region: "440306"),
            Organisation(id: "buy-sz-jd-hall", name: "京东深圳采购扶贫馆", kind: .hall, region: "440300"),
            Organisation(id: "buy-sz-rice-basket", name: "深圳市米袋子菜篮子联合会", kind: .supermarket, region: "440300"),
            Organisation(id: "buy-sz-retail-zone", name: "深圳市零售商业行业协会扶贫专区", kind: .supermarket, region: "440300"),
            // 广西 (seed 001).
            Organisation(id: "buy-gx-union", name: "广西壮族自治区总工会", kind: .union, region: "450100"),
            Organisation(id: "buy-gx-jiguan-canteen", name: "自治区机关事务管理局机关食堂", kind: .canteen, region: "450100"),
            Organisation(id: "buy-gx-gxu-canteen", name: "广西大学学生食堂", kind: .canteen, region: "450100"),
            Organisation(id: "buy-gx-finance", name: "广西壮族自治区财政厅", kind: .budgetUnit, region: "450100"),
            Organisation(id: "buy-gx-digital-counter", name: "数字广西集团消费扶贫专柜", kind: .counter, region: "450100"),
            Organisation(id: "buy-gx-special-hall", name: "中国社会扶贫网广西特色馆", kind: .hall, region: "450000"),
            Organisation(id: "buy-gx-supply-coop", name: "广西供销社名特优农产品交易会", kind: .supermarket, region: "450100"),
            // 湖南 (seed 002).
            Organisation(id: "buy-hn-demo-center", name: "湖南省消费扶贫示范中心", kind: .center, region: "430100", network: "hunan-alliance"),
            Organisation(id: "buy-hn-union", name: "湖南省总工会", kind: .union, region: "430100", network: "hunan-alliance"),
            Organisation(id: "buy-hn-jiguan-canteen", name: "湖南省直机关事务管理局机关食堂", kind: .canteen, region: "430100"),
            Organisation(id: "buy-hn-finance", name: "湖南省财政厅", kind: .budgetUnit, region: "430100"),
            Organisation(id: "buy-hn-mango-cloud", name: "芒果扶贫云超市", kind: .supermarket, region: "430100", network: "hunan-alliance"),
            Organisation(id: "buy-hn-xiangtan-canteen", name: "湘潭市机关食堂", kind: .canteen, region: "430300"),
            Organisation(id: "buy-jn-wholesale", name: "济南市农产品批发市场", kind: .supermarket, region: "370100"),
            Organisation(id: "buy-hn-post", name: "湖南省邮政919扶贫助农电商节", kind: .hall, region: "430100", network: "hunan-alliance"),
        ]
        let changsha: [(String, String, String)] = [
            ("furong", "芙蓉区", "430102"), ("tianxin", "天心区", "430103"), ("yuelu", "岳麓区", "430104"),
            ("kaifu", "开福区", "430105"), ("yuhua", "雨花区", "430111"), ("wangcheng", "望城区", "430112"),
            ("changshaxian", "长沙县", "430121"),
        ]
        list += changsha.map { Organisation(id: "buy-cs-\($0.0)", name: "长沙市\($0.1)机关事务中心", kind: .budgetUnit, region: $0.2) }
        list += [
            // 滁州 (seed 003): the "十二个一批" buyers and smart counters (≥50% poverty products).
            Organisation(id: "buy-cz-jiguan-canteen", name: "滁州市机关事务管理处机关食堂", kind: .canteen, region: "341100"),
            Organisation(id: "buy-cz-union", name: "滁州市总工会", kind: .union, region: "341100"),
            Organisation(id: "buy-cz-education", name: "滁州市教体局", kind: .budgetUnit, region: "341100"),
            Organisation(id: "buy-cz-health", name: "滁州市卫健委", kind: .budgetUnit, region: "341100"),
            Organisation(id: "buy-cz-enterprise-hall", name: "滁州市消费扶贫企业馆", kind: .hall, region: "341100"),
        ]
        let chuzhouCounters: [(String, String, String)] = [
            ("dingyuan", "定远县", "341125"), ("fengyang", "凤阳县", "341126"), ("mingguang", "明光市", "341182"),
            ("laian", "来安县", "341122"), ("quanjiao", "全椒县", "341124"), ("langya", "琅琊区", "341102"),
            ("nanqiao", "南谯区", "341103"), ("tianchang", "天长市", "341181"),
        ]
        list += chuzhouCounters.map {
            Organisation(id: "buy-cz-\($0.0)-counter", name: "\($0.1)消费扶贫智能专柜", kind: .counter, region: $0.2, target: 0.50)
        }
        list += [
            // 济源 (seed 004): canteens pick 1–2 suppliers, unions put ≥50% into poverty products.
            Organisation(id: "buy-jy-jiguan-canteen", name: "济源示范区机关事务局机关食堂", kind: .canteen, region: "419001"),
            Organisation(id: "buy-jy-education-canteen", name: "济源示范区教体局食堂", kind: .canteen, region: "419001"),
            Organisation(id: "buy-jy-health-canteen", name: "济源示范区卫健委食堂", kind: .canteen, region: "419001"),
            Organisation(id: "buy-jy-union", name: "济源示范区总工会", kind: .union, region: "419001"),
            Organisation(id: "buy-jy-center", name: "济源扶贫产品展销中心", kind: .center, region: "419001"),
            Organisation(id: "buy-jy-rt-mart", name: "大润发济源店", kind: .supermarket, region: "419001"),
            Organisation(id: "buy-jy-dennis-qinyuan", name: "丹尼斯沁园店", kind: .supermarket, region: "419001"),
            Organisation(id: "buy-jy-dennis-jishui", name: "丹尼斯济水店", kind: .supermarket, region: "419001"),
            Organisation(id: "buy-jy-dazhang", name: "大张超市", kind: .supermarket, region: "419001"),
            Organisation(id: "buy-jy-wenrun", name: "温润购物广场", kind: .supermarket, region: "419001"),
            Organisation(id: "buy-jy-siji", name: "四季蔬菜", kind: .supermarket, region: "419001"),
            Organisation(id: "buy-jy-yaqiao", name: "亚桥农贸产品有限公司", kind: .supermarket, region: "419001"),
            Organisation(id: "buy-jy-sinopec-counter", name: "中石化济源分公司扶贫专柜", kind: .counter, region: "419001"),
            Organisation(id: "buy-jy-post-zone", name: "济源邮政扶贫产品专区", kind: .counter, region: "419001"),
        ]
        return list
    }()
}
