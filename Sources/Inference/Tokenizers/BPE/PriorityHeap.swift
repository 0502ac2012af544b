/// Elements a `PriorityHeap` can order; `precedes(a, b)` means `a` pops first.
protocol HeapOrdered {
    static func precedes(_ a: Self, _ b: Self) -> Bool
}

/// A binary heap for the merge queues of BPE and SentencePiece (llama.cpp uses `std::priority_queue`).
struct PriorityHeap<Element: HeapOrdered> {
    private var heap: [Element] = []

    var isEmpty: Bool { heap.isEmpty }

    mutating func push(_ e: Element) {
        heap.append(e)
        var i = heap.count - 1
        while i > 0 {
            let p = (i - 1) / 2
            guard Element.precedes(heap[i], heap[p]) else { break }
            heap.swapAt(i, p)
            i = p
        }
    }

    mutating func pop() -> Element? {
        guard !heap.isEmpty else { return nil }
        let top = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var i = 0
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < heap.count, Element.precedes(heap[l], heap[m]) { m = l }
                if r < heap.count, Element.precedes(heap[r], heap[m]) { m = r }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }
        return top
    }
}
