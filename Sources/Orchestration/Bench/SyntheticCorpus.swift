/// A fixed, seeded corpus of PII-rich documents for benchmarks: the same texts on every machine and run.
public enum SyntheticCorpus {
    static let given = ["Maria", "John", "Aisha", "Kenji", "Priya", "Lars", "Fatima", "Carlos", "Emily", "Tomasz"]
    static let surnames = ["Gonzalez", "Smith", "Okafor", "Tanaka", "Natarajan", "Nilsson", "Haddad", "Hernández", "Chen", "Kowalski"]
    static let streets = ["Baker Street", "Main St", "Calle Mayor", "Parkway Drive", "Elm Avenue", "Rue de Rivoli"]
    static let cities = ["Springfield, IL 62704", "Cambridge, MA 02139", "Madrid 28013", "London NW1 6XE", "Austin, TX 78701"]
    static let filler = [
        "The patient reported mild symptoms over the last week and was advised to rest.",
        "Payment is due within thirty days of the invoice date, as agreed in section 4.",
        "We reviewed the quarterly figures and found no discrepancies in the ledger.",
        "Please keep this letter for your records and contact us with any questions.",
        "The supplier shall deliver the goods to the warehouse no later than Friday.",
    ]

    /// `count` documents of roughly `sentences` sentences each, deterministic for a given seed.
    public static func documents(count: Int, sentences: Int = 6, seed: UInt64 = 42) -> [String] {
        var state = seed
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        return (0 ..< count).map { _ in
            (0 ..< sentences).map { _ -> String in
                let name = "\(given[next(given.count)]) \(surnames[next(surnames.count)])"
                switch next(5) {
                case 0: return "Contact \(name) at \(name.lowercased().replacingSpaces(with: ".")).\(next(90) + 10)@example.org."
                case 1: return "\(name) can be reached on (\(next(800) + 200)) 555-0\(next(900) + 100)."
                case 2: return "Send the papers to \(next(900) + 1) \(streets[next(streets.count)]), \(cities[next(cities.count)])."
                default: return filler[next(filler.count)]
                }
            }.joined(separator: " ")
        }
    }
}

extension String {
    fileprivate func replacingSpaces(with s: String) -> String { split(separator: " ").joined(separator: s) }
}
