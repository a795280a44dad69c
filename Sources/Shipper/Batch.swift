/// A `_bulk` body under construction: NDJSON action + document per event, each event's byte
/// range kept so that failed items can be re-sent alone and a 413 can split the batch
/// (reference §3.7), and per file the offset reached, applied to the registry on ack.
struct Batch: Sendable {
    var body: [UInt8] = []
    var events: [Range<Int>] = []
    var progress: [FileKey: FileProgress] = [:]

    var isEmpty: Bool { events.isEmpty && progress.isEmpty }

    /// A body holding only the events at `indices`, in that order.
    func body(for indices: ArraySlice<Int>) -> [UInt8] {
        if indices.count == events.count { return body }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(indices.reduce(0) { $0 + events[$1].count })
        for index in indices { bytes.append(contentsOf: body[events[index]]) }
        return bytes
    }

    /// The document line (without the action line) of event `index`, for dead-letter records.
    func document(_ index: Int) -> ArraySlice<UInt8> {
        let event = body[events[index]]
        guard let newline = event.firstIndex(of: 0x0A) else { return event }
        return body[(newline + 1) ..< events[index].upperBound - 1]
    }
}
