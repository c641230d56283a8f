/// The fixed taxonomy of farm products that demands and products are matched on.
/// Codes are stable API values; the Chinese names follow the seeds' wording
/// (米袋子、菜篮子、果盘子 and the usual 扶贫产品 catalog groupings).
public enum ProductCategory: String, Sendable, CaseIterable, Codable {
    case grainOil = "grain_oil"
    case meatPoultryEgg = "meat_poultry_egg"
    case vegetables
    case fruit
    case aquatic
    case tea
    case mountainGoods = "mountain_goods"
    case condiments
    case drinks
    case processed

    public var chineseName: String {
        switch self {
        case .grainOil: "米面粮油"
        case .meatPoultryEgg: "肉禽蛋"
        case .vegetables: "蔬菜"
        case .fruit: "水果"
        case .aquatic: "水产"
        case .tea: "茶叶"
        case .mountainGoods: "干货山货"
        case .condiments: "调味品"
        case .drinks: "酒水饮料"
        case .processed: "加工食品"
        }
    }

    public var englishName: String {
        switch self {
        case .grainOil: "Grain and edible oil"
        case .meatPoultryEgg: "Meat, poultry and eggs"
        case .vegetables: "Vegetables"
        case .fruit: "Fruit"
        case .aquatic: "Aquatic products"
        case .tea: "Tea"
        case .mountainGoods: "Dried and mountain goods"
        case .condiments: "Condiments"
        case .drinks: "Drinks and liquor"
        case .processed: "Processed foods"
        }
    }
}

/// Units that volumes, capacities and prices are counted in. Matching never converts between
/// units: a demand in `kg` only meets products sold in `kg`.
public enum MeasureUnit: String, Sendable, CaseIterable, Codable {
    case kg, jin, box, bag, bottle, piece

    public var chineseName: String {
        switch self {
        case .kg: "公斤"
        case .jin: "斤"
        case .box: "箱"
        case .bag: "袋"
        case .bottle: "瓶"
        case .piece: "件"
        }
    }
}
