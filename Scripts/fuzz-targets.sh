# Sourced by Scripts/fuzz.sh and Scripts/fuzz-long.sh: the fuzz targets (docs/fuzzing.md) and their dictionaries.
all_targets=(json_line jsonl_reader warc http wet charset yaml tokenizer_json tiktoken fasttext arpa lm_binary pii pretoken html parquet minhash)

# The libFuzzer dictionary of a target (Fuzz/Dictionaries/), or nothing.
dictionary() {
    case $1 in
        json_line|jsonl_reader|tokenizer_json) echo Fuzz/Dictionaries/json.dict ;;
        warc|http|wet) echo Fuzz/Dictionaries/warc.dict ;;
        html|charset) echo Fuzz/Dictionaries/html.dict ;;
        yaml) echo Fuzz/Dictionaries/yaml.dict ;;
        arpa) echo Fuzz/Dictionaries/arpa.dict ;;
    esac
}
