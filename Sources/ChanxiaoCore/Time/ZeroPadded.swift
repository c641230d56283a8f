/// `value` in decimal, zero-padded to `width` characters as `%0*d` would write it. By hand,
/// because `String(format:)` goes through Foundation's formatter, and every row the store
/// writes carries a date or a timestamp.
func zeroPadded(_ value: Int, _ width: Int) -> String {
    let digits = String(value.magnitude)
    let sign = value < 0 ? "-" : ""
    let room = width - sign.count - digits.count
    return room > 0 ? sign + String(repeating: "0", count: room) + digits : sign + digits
}
