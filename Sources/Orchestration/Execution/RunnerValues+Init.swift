import Inference

// Public factories for the runner's value types (their memberwise initialisers are internal), so other runners
// and test fakes outside the module can build results.

extension ClassifiedToken {
    public static func make(text: String, id: Int32, start: Int, end: Int, wordIndex: Int?, label: String, score: Float,
                            probabilities: [Float]) -> ClassifiedToken {
        ClassifiedToken(text: text, id: id, start: start, end: end, wordIndex: wordIndex, label: label, score: score,
                        probabilities: probabilities)
    }
}

extension TokenClassification {
    public static func make(labels: [String], tokens: [ClassifiedToken], windowCount: Int) -> TokenClassification {
        TokenClassification(labels: labels, tokens: tokens, windowCount: windowCount)
    }
}

extension TokenPiece {
    public static func make(id: Int32, text: String, start: Int, end: Int, wordIndex: Int?) -> TokenPiece {
        TokenPiece(id: id, text: text, start: start, end: end, wordIndex: wordIndex)
    }
}
