"""datatrove's tokenization as its users run it: DocumentTokenizer (one task per input file, WORKERS processes,
HF tokenizers loading Winnow's tokenizer.json, <|endoftext|> after each document, shuffled), then
DocumentTokenizerMerger (one task: global shuffle into .ds files of at most SHARD_TOKENS tokens).
Worker processes are forked (not datatrove's default forkserver) so that they are this process's children and
GNU time's CPU and memory figures include them.

usage: datatrove_tokenize.py INPUT_DIR TOKENIZER_JSON OUTPUT_DIR WORKERS SHARD_TOKENS
"""
import glob, sys
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.tokens import DocumentTokenizer, DocumentTokenizerMerger

if __name__ == "__main__":  # datatrove starts worker processes
    inp, tok, out, workers, shard_tokens = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    files = len(glob.glob(inp + "/*.jsonl.zst"))
    LocalPipelineExecutor(
        pipeline=[JsonlReader(inp, glob_pattern="*.jsonl.zst", compression="zstd"),
                  DocumentTokenizer(output_folder=out + "/tokenized", tokenizer_name_or_path=tok, eos_token="<|endoftext|>",
                                    seed=0)],
        tasks=files, workers=workers, logging_dir=out + "/logs-tokenize", skip_completed=False,
        start_method="fork").run()
    LocalPipelineExecutor(
        pipeline=[DocumentTokenizerMerger(input_folder=out + "/tokenized", output_folder=out + "/merged", save_filename="tokens",
                                          max_tokens_per_file=shard_tokens, seed=0, progress=False)],
        tasks=1, workers=1, logging_dir=out + "/logs-merge", skip_completed=False).run()
