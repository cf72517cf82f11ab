"""Tiny, randomly initialised models for tests and benchmarks.

No package ships real translation or summarization weights and the hub may be out of reach,
so tests build their own: a SentencePiece model trained on the seed articles, and tiny
T5 / Marian / BART models and a tiny Qwen2 instruction model (byte-level BPE, a chat template)
made from transformers' config classes. Their output is gibberish, but tokenisation, prefixes,
chat templates, chunking, batching, generate() and decoding all run for real.

    python -m summarize.testing tiny DIR [--corpus seeds/]    # any folder; default corpus: the shipped glossary
    python -m summarize.testing full-size DIR     # the default models' exact architecture

writes the models into DIR and a registry DIR/models.yaml that points at them.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import yaml

from .models.engines import Engine

# Small enough to build in seconds and generate quickly on two CPU cores.
TINY_DIMS = dict(d_model=32, layers=1, heads=2, ffn=64)

# generate() settings for the tiny models: short outputs, but never empty ones.
TINY_TRANSLATION = {"num_beams": 2, "max_new_tokens": 24, "min_new_tokens": 4}
TINY_SUMMARY = {"num_beams": 2, "max_new_tokens": 40, "min_new_tokens": 12, "no_repeat_ngram_size": 3}
TINY_LLM = {"num_beams": 1, "max_new_tokens": 24}  # greedy, as the shipped LLM entries

# The ChatML template of the Qwen family (its tokens are the tiny tokenizer's special tokens)
CHATML = ("{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' }}"
          "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")


def _corpus_lines(corpus: Path | None) -> list[str]:
    """The lines to train tokenizers on: a folder of .txt files or one file; None: the shipped
    glossary's Vietnamese terms and English names, so models build from any folder."""
    if corpus is None:
        from .config import read_yaml, shipped

        sections = read_yaml(shipped("glossary.yaml"), "glossary") or {}
        return [str(text) for terms in sections.values() if isinstance(terms, dict) for pair in terms.items()
                for text in pair]
    files = sorted(corpus.glob("*.txt")) if corpus.is_dir() else [corpus]
    lines = [line.strip() for f in files for line in f.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line]


def train_sentencepiece(lines: list[str], out_dir: Path, vocab_size: int = 800) -> Path:
    """Unigram SentencePiece model with T5's special ids (pad=0, eos=1, unk=2)."""
    import sentencepiece as spm

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as tmp:
        tmp.write("\n".join(lines))
    prefix = out_dir / "spm"
    spm.set_random_generator_seed(0)
    spm.SentencePieceTrainer.train(
        input=tmp.name,
        model_prefix=str(prefix),
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        pad_id=0,
        eos_id=1,
        unk_id=2,
        bos_id=-1,
        hard_vocab_limit=False,
        num_threads=1,  # single-threaded training gives the same model every time
        minloglevel=2,
    )
    Path(tmp.name).unlink()
    return prefix.with_suffix(".model")


def _spm_vocab(spm_path: Path) -> list[tuple[str, float]]:
    import sentencepiece as spm

    sp = spm.SentencePieceProcessor(model_file=str(spm_path))
    return [(sp.id_to_piece(i), sp.get_score(i)) for i in range(sp.get_piece_size())]


# The published architectures of the default models (VietAI/envit5-translation and
# sshleifer/distilbart-cnn-12-6 config.json), for benchmarks with random weights.
ENVIT5_ARCHITECTURE = dict(
    vocab_size=50048, d_model=768, d_kv=64, d_ff=2048, num_layers=12, num_decoder_layers=12, num_heads=12,
    feed_forward_proj="gated-gelu", dense_act_fn="gelu_new", is_gated_act=True, tie_word_embeddings=False,
    relative_attention_num_buckets=32, relative_attention_max_distance=128,
)
DISTILBART_CNN_ARCHITECTURE = dict(
    vocab_size=50264, d_model=1024, encoder_layers=12, decoder_layers=6, encoder_attention_heads=16,
    decoder_attention_heads=16, encoder_ffn_dim=4096, decoder_ffn_dim=4096, max_position_embeddings=1024,
    activation_function="gelu", add_final_layer_norm=False, scale_embedding=False,
)


# ... and of the shipped instruction models (Qwen/Qwen2.5-1.5B-Instruct, Qwen/Qwen3-4B-Instruct-2507
# config.json at their pinned revisions), with each family's config class
QWEN25_1_5B_ARCHITECTURE = dict(
    family="qwen2", vocab_size=151936, hidden_size=1536, intermediate_size=8960, num_hidden_layers=28,
    num_attention_heads=12, num_key_value_heads=2, max_position_embeddings=32768, rope_theta=1000000.0,
    rms_norm_eps=1e-6, tie_word_embeddings=True,
)
QWEN3_4B_ARCHITECTURE = dict(
    family="qwen3", vocab_size=151936, hidden_size=2560, intermediate_size=9728, num_hidden_layers=36,
    num_attention_heads=32, num_key_value_heads=8, head_dim=128, max_position_embeddings=262144,
    rope_theta=5000000.0, rms_norm_eps=1e-6, tie_word_embeddings=True,
)
LLM_FAMILIES = {"qwen2": ("Qwen2Config", "Qwen2ForCausalLM"), "qwen3": ("Qwen3Config", "Qwen3ForCausalLM")}


def build_t5(spm_path: Path, out: Path, architecture: dict | None = None) -> Path:
    """T5 with a SentencePiece tokenizer (the envit5 family: `vi: ` / `en: ` prefixes): tiny, or
    with the given architecture (its vocabulary may be larger than the tokenizer's)."""
    from transformers import T5Config, T5ForConditionalGeneration, T5Tokenizer

    tokenizer = T5Tokenizer(vocab=_spm_vocab(spm_path), extra_ids=0)
    dims = architecture or dict(
        vocab_size=len(tokenizer),
        d_model=TINY_DIMS["d_model"],
        d_kv=TINY_DIMS["d_model"] // TINY_DIMS["heads"],
        d_ff=TINY_DIMS["ffn"],
        num_layers=TINY_DIMS["layers"],
        num_decoder_layers=TINY_DIMS["layers"],
        num_heads=TINY_DIMS["heads"],
    )
    config = T5Config(
        **dims,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.pad_token_id,
    )
    _save(_seeded(T5ForConditionalGeneration, config), tokenizer, out)
    return out


def _tiny_bart_dims(vocab_size: int, max_position_embeddings: int) -> dict:
    """Tiny encoder-decoder dimensions in the BART/Marian config vocabulary."""
    return dict(
        vocab_size=vocab_size,
        d_model=TINY_DIMS["d_model"],
        encoder_layers=TINY_DIMS["layers"],
        decoder_layers=TINY_DIMS["layers"],
        encoder_attention_heads=TINY_DIMS["heads"],
        decoder_attention_heads=TINY_DIMS["heads"],
        encoder_ffn_dim=TINY_DIMS["ffn"],
        decoder_ffn_dim=TINY_DIMS["ffn"],
        max_position_embeddings=max_position_embeddings,
    )


def build_marian(spm_path: Path, out: Path) -> Path:
    """Tiny Marian (the opus-mt family: separate source/target SentencePiece files, no prefix)."""
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    with tempfile.TemporaryDirectory() as tmp:
        vocab_path = Path(tmp) / "vocab.json"
        pieces = [piece for piece, _score in _spm_vocab(spm_path) if piece != "<pad>"] + ["<pad>"]
        vocab = {piece: i for i, piece in enumerate(pieces)}  # <pad> last, as in opus-mt's vocab.json
        vocab_path.write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        tokenizer = MarianTokenizer(source_spm=str(spm_path), target_spm=str(spm_path), vocab=str(vocab_path))
        config = MarianConfig(
            **_tiny_bart_dims(len(vocab), max_position_embeddings=512),
            pad_token_id=vocab["<pad>"],
            eos_token_id=vocab["</s>"],
            decoder_start_token_id=vocab["<pad>"],
        )
        _save(_seeded(MarianMTModel, config), tokenizer, out)
    return out


def build_bart(lines: list[str], out: Path, vocab_size: int = 1200, architecture: dict | None = None) -> Path:
    """BART with a byte-level BPE tokenizer (the distilbart / bart-large-cnn family): tiny, or
    with the given architecture."""
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(lines, vocab_size=vocab_size, special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
    with tempfile.TemporaryDirectory() as tmp:
        vocab_file, merges_file = bpe.save_model(tmp)
        vocab = json.loads(Path(vocab_file).read_text(encoding="utf-8"))
        merges = [tuple(m.split(" ")) for m in Path(merges_file).read_text(encoding="utf-8").splitlines()[1:] if m]
    tokenizer = BartTokenizer(vocab=vocab, merges=merges)
    dims = architecture or _tiny_bart_dims(len(tokenizer), max_position_embeddings=1024)
    # a vocabulary as large as the model's, as the real tokenizer's is (converters check it)
    tokenizer.add_tokens([f"<unused{i}>" for i in range(len(tokenizer), dims["vocab_size"])])
    config = BartConfig(
        normalize_before=False,  # as in the published BART configs (CTranslate2's converter reads it)
        **dims,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
        forced_bos_token_id=tokenizer.bos_token_id,
        forced_eos_token_id=tokenizer.eos_token_id,
    )
    _save(_seeded(BartForConditionalGeneration, config), tokenizer, out)
    return out


def build_llm(lines: list[str], out: Path, vocab_size: int = 1500, architecture: dict | None = None) -> Path:
    """A decoder-only instruction model of the Qwen family: a byte-level BPE tokenizer with the
    ChatML chat template and its end-of-turn token, and a tiny Qwen2 (or the given
    architecture, its `family` naming the config class: LLM_FAMILIES; built in bfloat16, half
    the memory); its generation config ends a turn at <|im_end|> or <|endoftext|>, as Qwen's does."""
    import torch
    import transformers
    from tokenizers import ByteLevelBPETokenizer
    from transformers import GenerationConfig, PreTrainedTokenizerFast

    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(lines, vocab_size=vocab_size, special_tokens=specials)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=bpe._tokenizer, eos_token="<|im_end|>",
                                        pad_token="<|endoftext|>", additional_special_tokens=["<|im_start|>"])
    tokenizer.chat_template = CHATML
    dims = dict(architecture or dict(family="qwen2", vocab_size=len(tokenizer), hidden_size=TINY_DIMS["d_model"],
                                     intermediate_size=TINY_DIMS["ffn"], num_hidden_layers=2,
                                     num_attention_heads=TINY_DIMS["heads"], num_key_value_heads=1,
                                     max_position_embeddings=4096, tie_word_embeddings=True))
    config_class, model_class = (getattr(transformers, name) for name in LLM_FAMILIES[dims.pop("family")])
    tokenizer.add_tokens([f"<unused{i}>" for i in range(len(tokenizer), dims["vocab_size"])])
    ends = [tokenizer.convert_tokens_to_ids(t) for t in ("<|im_end|>", "<|endoftext|>")]
    config = config_class(**dims, eos_token_id=ends[0], pad_token_id=tokenizer.pad_token_id, bos_token_id=None)
    if architecture:
        torch.set_default_dtype(torch.bfloat16)  # a 4B model: 8 GB to build instead of 16
    try:
        model = _seeded(model_class, config)
    finally:
        torch.set_default_dtype(torch.float32)
    # random weights favour a newline forever; without the whitespace tokens' (tied) rows the
    # answers are words, so an answer's path past its cleaning is exercised too
    blank = [i for i in range(len(tokenizer)) if not tokenizer.decode([i]).strip()]
    with torch.no_grad():
        model.get_input_embeddings().weight[blank] = 0
    model.generation_config = GenerationConfig(eos_token_id=ends, pad_token_id=tokenizer.pad_token_id)
    _save(model, tokenizer, out)
    return out


def llm_styles(limit: int | None = None) -> dict:
    """The shipped instruction models' styles (their real prompts), for the test registries;
    `limit`: the line style's output limit, so a style's own limit is exercised."""
    from .config import shipped
    from .models.registry import load_registry

    entry = next(spec for spec in load_registry(shipped("models.yaml")).models["summarization"].values() if spec.styles)
    styles = {name: {k: v for k, v in style.items() if k != "max_new_tokens"} for name, style in entry.styles.items()}
    if limit:
        styles["line"]["max_new_tokens"] = limit
    return styles


def _seeded(model_class, config):
    """The model with weights from a fixed seed, so every build is identical."""
    import torch

    torch.manual_seed(0)
    return model_class(config)


def _save(model, tokenizer, out: Path) -> None:
    model.eval()
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)


def tiny_registry() -> dict:
    """The registry for the tiny models, in models.yaml form (paths relative to the file)."""
    return {
        "translation": {
            "default": "tiny-t5",
            "models": {
                "tiny-t5": {
                    "model": "./tiny-t5",
                    "description": "Tiny random T5 with the envit5 conventions (vi:/en: prefixes)",
                    "input_prefix": "vi: ",
                    "output_prefix": "en: ",
                    "max_input_tokens": 64,
                    "generation": TINY_TRANSLATION,
                },
                "tiny-marian": {
                    "model": "./tiny-marian",
                    "description": "Tiny random Marian with the opus-mt conventions (no prefix)",
                    "max_input_tokens": 64,
                    "generation": TINY_TRANSLATION,
                },
            },
        },
        "summarization": {
            "default": "tiny-bart",
            "models": {
                "tiny-bart": {
                    "model": "./tiny-bart",
                    "description": "Tiny random BART with the distilbart conventions",
                    "max_input_tokens": 256,
                    "generation": TINY_SUMMARY,
                },
                **{name: {
                    "model": "./tiny-llm",
                    "description": f"Tiny random Qwen2 instruction model, the shipped prompts; reads the {reads}",
                    "architecture": "causal",
                    "reads": reads,
                    "max_input_tokens": 1024,
                    "generation": TINY_LLM,
                    "styles": llm_styles(limit=12),
                } for name, reads in (("tiny-llm", "translation"), ("tiny-llm-vi", "source"))},
            },
        },
    }


def build_tiny(out_dir: Path, corpus: Path | None = None) -> Path:
    """Build every tiny model into out_dir and write out_dir/models.yaml; returns its path."""
    out_dir = Path(out_dir)
    lines = _corpus_lines(corpus and Path(corpus))
    if not lines:
        raise SystemExit(f"no text found in {corpus} to train the tiny tokenizers on")
    spm_path = train_sentencepiece(lines, out_dir / "spm")
    build_t5(spm_path, out_dir / "tiny-t5")
    build_marian(spm_path, out_dir / "tiny-marian")
    build_bart(lines, out_dir / "tiny-bart")
    build_llm(lines, out_dir / "tiny-llm")
    registry = out_dir / "models.yaml"
    registry.write_text(yaml.safe_dump(tiny_registry(), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return registry


def build_full_size(out_dir: Path, corpus: Path | None = None, llms: bool = False) -> Path:
    """Random-weight models with the exact architecture of the default models (for benchmarks),
    tokenizers trained on `corpus`, and a registry that uses the defaults' generate() settings;
    with `llms`, the shipped instruction models' too (qwen2.5-1.5b, qwen3-4b: 3 and 8 GB on disk)."""
    from .config import shipped as shipped_data
    from .models.registry import load_registry

    out_dir = Path(out_dir)
    lines = _corpus_lines(corpus and Path(corpus))
    spm_path = train_sentencepiece(lines, out_dir / "spm", vocab_size=4000)
    build_t5(spm_path, out_dir / "envit5-random", ENVIT5_ARCHITECTURE)
    build_bart(lines, out_dir / "distilbart-random", vocab_size=4000, architecture=DISTILBART_CNN_ARCHITECTURE)
    shipped = load_registry(shipped_data("models.yaml"))
    registry = {}
    for stage, name in (("translation", "envit5-random"), ("summarization", "distilbart-random")):
        spec = shipped.get(stage)
        entry = {"model": f"./{name}", "description": f"random weights, architecture of {spec.model}",
                 "max_input_tokens": spec.max_input_tokens, "generation": spec.generation,
                 "cpu_dtype": spec.cpu_dtype, "cuda_dtype": spec.cuda_dtype}
        for key in ("input_prefix", "output_prefix"):
            if getattr(spec, key):
                entry[key] = getattr(spec, key)
        registry[stage] = {"default": name, "models": {name: entry}}
    for name, architecture in (("qwen2.5-1.5b", QWEN25_1_5B_ARCHITECTURE), ("qwen3-4b", QWEN3_4B_ARCHITECTURE)) if llms else ():
        build_llm(lines, out_dir / f"{name}-random", vocab_size=4000, architecture=architecture)
        spec = shipped.get("summarization", name)
        registry["summarization"]["models"][f"{name}-random"] = {
            "model": f"./{name}-random", "description": f"random weights, architecture of {spec.model}",
            "architecture": "causal", "max_input_tokens": spec.max_input_tokens, "generation": spec.generation,
            "cpu_dtype": spec.cpu_dtype, "cuda_dtype": spec.cuda_dtype, "styles": spec.styles}
    path = out_dir / "models.yaml"
    path.write_text(yaml.safe_dump(registry, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def limit_inputs(folder: Path, seeds: Path = Path("seeds")) -> dict[str, Path]:
    """The largest inputs the reader accepts, for bench/limits.py and the tests: a 19 MB article,
    a 2 MB line without punctuation, the same hard-wrapped at 80 columns, and 5,000 small files
    of two seed paragraphs each (so, like a day of wire copy, most are copies of another)."""
    import random
    import textwrap

    from .reading.reader import read_article

    paragraphs = [p for f in sorted(Path(seeds).glob("*.txt")) for p in read_article(f, f.name).body]
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    big, size, n = ["Nga và Mỹ nối lại đàm phán về vũ khí hạt nhân", ""], 0, 0
    while size < 19 * 1024 * 1024:
        big += [f"{rng.choice(paragraphs)} (đoạn {n}).", ""]
        size, n = size + len(big[-2].encode()) + 2, n + 1
    (folder / "big.txt").write_text("\n".join(big), encoding="utf-8")
    words = " ".join(paragraphs).replace(".", "").replace(",", "").split()
    line = " ".join(rng.choice(words) for _ in range(400_000))[: 2 * 1024 * 1024]
    (folder / "line.txt").write_text("Tin dài không có dấu câu\n\n" + line, encoding="utf-8")
    wrapped = "\n".join(textwrap.wrap(line, 80))  # one endless paragraph, hard-wrapped as some scrapers save
    (folder / "wrapped.txt").write_text("Tin dài xuống dòng cứng\n\n" + wrapped, encoding="utf-8")
    many = folder / "many"
    many.mkdir()
    for i in range(5000):
        (many / f"a{i:04d}.txt").write_text(f"Tin số {i}\n\n" + " ".join(rng.sample(paragraphs, 2)), "utf-8")
    return {"19 MB article": folder / "big.txt", "2 MB line without punctuation": folder / "line.txt",
            "2 MB paragraph hard-wrapped at 80 columns": folder / "wrapped.txt", "5,000 small files": many}


class MockEngine(Engine):
    """A stand-in engine for stage tests without torch: each output is `transform(input)`, and
    every input it was given is recorded in `calls` (one list per generate() call)."""

    files = False

    def __init__(self, transform=str.upper):
        self.transform = transform
        self.calls: list[list[str]] = []

    def load(self, spec, path, runtime) -> _MockModel:
        return _MockModel(spec, self, runtime.tuning)


class _MockModel:
    where = "mock"

    def __init__(self, spec, engine: MockEngine, tuning):
        self.spec, self.engine, self.tuning = spec, engine, tuning

    def count_tokens(self, texts):
        return [len(t.split()) + 1 for t in texts]

    def generate(self, texts, on_batch=None):
        self.engine.calls.append(list(texts))
        outputs = [self.engine.transform(t) for t in texts]
        if on_batch and texts:
            on_batch(list(texts), outputs)
        return outputs


def mock_registry(path: Path, translation: str = "mock", summarization: str = "mock") -> Path:
    """A registry whose two stages use the named engines (no model files); returns its path."""
    path.write_text(
        f"translation: {{default: t, models: {{t: {{backend: {translation}}}}}}}\n"
        f"summarization: {{default: s, models: {{s: {{backend: {summarization}, max_input_tokens: 4000}}}}}}\n",
        encoding="utf-8",
    )
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m summarize.testing", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    tiny = sub.add_parser("tiny", help="build tiny random models and a registry pointing at them")
    tiny.add_argument("dir", type=Path)
    tiny.add_argument("--corpus", type=Path, help="text files to train the tokenizers on (default: the shipped glossary)")
    full = sub.add_parser("full-size", help="random-weight models with the default models' exact architecture")
    full.add_argument("dir", type=Path)
    full.add_argument("--corpus", type=Path, help="text files to train the tokenizers on (default: the shipped glossary)")
    full.add_argument("--llms", action="store_true", help="the shipped instruction models' architectures too (11 GB)")
    args = parser.parse_args(argv)
    if args.command == "tiny":
        print(build_tiny(args.dir, args.corpus))
    else:
        print(build_full_size(args.dir, args.corpus, llms=args.llms))


if __name__ == "__main__":
    main()
