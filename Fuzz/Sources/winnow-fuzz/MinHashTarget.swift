import WinnowDedup

/// MinHash signatures of arbitrary text: the C paths (simplify_text's SIMD ASCII runs, the 8-lane xxh64 word
/// n-gram hashes, the AVX-512 permutation kernel) against the scalar ones (shingles hashed one by one, minima
/// computed here). First byte: configuration choice.
let minhashTarget = FuzzTarget(name: "minhash", summary: "MinHash: C shingle hashes and kernel against scalar") { data in
    guard let choice = data.first else { return }
    var configuration = MinHashConfiguration()
    configuration.ngramSize = Int(choice & 7) + 1
    configuration.precision = choice & 8 == 0 ? 64 : 32
    configuration.shingle = choice & 16 == 0 ? .word : .character
    let hasher = MinHasher(configuration: configuration)
    let text = Array(data.dropFirst())
    var signature: [UInt64] = [], collected: [UInt64] = []
    let found = hasher.signature(text, into: &signature, shingles: &collected, collectShingles: true)
    let scalar = hasher.shingleHashes(text)
    fuzzCheck(collected == scalar, "shingle hashes differ: \(collected.count) against \(scalar.count)")
    fuzzCheck(found == !scalar.isEmpty, "signature found \(found) with \(scalar.count) shingles")
    guard found else { return }
    let mask: UInt64 = configuration.precision == 32 ? 0xFFFF_FFFF : .max
    for i in 0..<configuration.permutations {
        var minimum = UInt64.max
        for h in scalar {
            let v = ((h &* hasher.a[i]) &+ hasher.b[i]) % MinHasher.mersennePrime & mask
            minimum = Swift.min(minimum, v)
        }
        fuzzCheck(signature[i] == minimum, "permutation \(i): \(signature[i]) against \(minimum)")
    }
}
