import WinnowFastText
import WinnowLM
import WinnowPipeline
import WinnowTokenizer

/// A pipeline YAML file: loading either succeeds or throws a message, never traps.
let yamlTarget = FuzzTarget(name: "yaml", summary: "PipelineLoader: YAML pipelines, stage parameters") { data in
    _ = try? PipelineLoader.parse(yaml: String(decoding: data, as: UTF8.self), file: "fuzz.yaml")
}

/// A sample text each loaded tokenizer or model is used on.
let sampleText: [UInt8] = Array("Hello world! It's 2024: naïve café, 東京 \u{1F600}\n  tabs\tand 12345 digits".utf8)

/// An HF tokenizer.json: import, then encode and decode the sample.
let tokenizerJSONTarget = FuzzTarget(name: "tokenizer_json", summary: "tokenizer.json import, then encode") { data in
    guard let vocabulary = try? BPEVocabulary(tokenizerJSON: Array(data)) else { return }
    let ids = BPEEncoder(vocabulary: vocabulary, cacheSlots: 16).encode(sampleText)
    _ = try? vocabulary.decode(ids)
}

/// A .tiktoken ranks file: import with each split pattern, then encode the sample.
let tiktokenTarget = FuzzTarget(name: "tiktoken", summary: ".tiktoken import, then encode") { data in
    let pattern = SplitPattern.allCases[Int(data.first ?? 0) % SplitPattern.allCases.count]
    guard let vocabulary = try? BPEVocabulary(tiktoken: Array(data.dropFirst()), pattern: pattern) else { return }
    let ids = BPEEncoder(vocabulary: vocabulary, cacheSlots: 16).encode(sampleText)
    _ = try? vocabulary.decode(ids)
}

/// A fastText model file (.bin or quantized .ftz): load, then predict the sample.
let fastTextTarget = FuzzTarget(name: "fasttext", summary: "fastText .bin/.ftz loading, then predict") { data in
    let path = ScratchFile.write(data, name: "model.bin")
    guard let model = try? FastTextModel(path: path) else { return }
    var predictor = FastTextPredictor(model: model)
    var results: [FastTextPrediction] = []
    sampleText.withUnsafeBytes { predictor.predict($0, k: 2, into: &results) }
}

/// ARPA text: parse, then score the sample.
let arpaTarget = FuzzTarget(name: "arpa", summary: "ARPA n-gram model parsing, then score") { data in
    guard let model = try? ARPAModel(arpa: Array(data)) else { return }
    _ = model.score(String(decoding: sampleText, as: UTF8.self))
}

/// Winnow's binary n-gram model (mapped, not parsed): load, then score the sample.
let lmBinaryTarget = FuzzTarget(name: "lm_binary", summary: "binary n-gram model loading, then score") { data in
    let path = ScratchFile.write(data, name: "model.wlm")
    guard let model = try? ARPAModel(path: path) else { return }
    _ = model.score(String(decoding: sampleText, as: UTF8.self))
}
