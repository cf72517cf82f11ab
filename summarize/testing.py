"""Tiny, randomly initialised models for tests and benchmarks.

No package ships real translation or summarization weights and the hub may be out of reach,
so tests build their own: a SentencePiece model trained on the seed articles, and tiny
T5 / Marian / BART models made from transformers' config classes. Their output is gibberish,
but tokenisation, prefixes, chunking, batching, generate() and decoding all run for real.

    python -m summarize.testing tiny DIR [--corpus seeds/]

writes the models into DIR and a registry DIR/models.yaml that points at them.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import yaml

# Small enough to build in seconds and generate quickly on two CPU cores.
TINY_DIMS = dict(d_model=32, layers=1, heads=2, ffn=64)

# generate() settings for the tiny models: short outputs, but never empty ones.
TINY_TRANSLATION = {"num_beams": 2, "max_new_tokens": 24, "min_new_tokens": 4}
TINY_SUMMARY = {"num_beams": 2, "max_new_tokens": 40, "min_new_tokens": 12, "no_repeat_ngram_size": 3}


def _corpus_lines(corpus: Path) -> list[str]:
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


def build_t5(spm_path: Path, out: Path) -> Path:
    """Tiny T5 with a SentencePiece tokenizer (the envit5 family: `vi: ` / `en: ` prefixes)."""
    from transformers import T5Config, T5ForConditionalGeneration, T5Tokenizer

    tokenizer = T5Tokenizer(vocab=_spm_vocab(spm_path), extra_ids=0)
    config = T5Config(
        vocab_size=len(tokenizer),
        d_model=TINY_DIMS["d_model"],
        d_kv=TINY_DIMS["d_model"] // TINY_DIMS["heads"],
        d_ff=TINY_DIMS["ffn"],
        num_layers=TINY_DIMS["layers"],
        num_decoder_layers=TINY_DIMS["layers"],
        num_heads=TINY_DIMS["heads"],
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.pad_token_id,
    )
    _save(_seeded(T5ForConditionalGeneration, config), tokenizer, out)
    return out


def build_marian(spm_path: Path, out: Path) -> Path:
    """Tiny Marian (the opus-mt family: separate source/target SentencePiece files, no prefix)."""
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    with tempfile.TemporaryDirectory() as tmp:
        vocab_path = Path(tmp) / "vocab.json"
        vocab = {piece: i for i, (piece, _score) in enumerate(_spm_vocab(spm_path))}
        vocab_path.write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        tokenizer = MarianTokenizer(source_spm=str(spm_path), target_spm=str(spm_path), vocab=str(vocab_path))
        config = MarianConfig(
            vocab_size=len(vocab),
            d_model=TINY_DIMS["d_model"],
            encoder_layers=TINY_DIMS["layers"],
            decoder_layers=TINY_DIMS["layers"],
            encoder_attention_heads=TINY_DIMS["heads"],
            decoder_attention_heads=TINY_DIMS["heads"],
            encoder_ffn_dim=TINY_DIMS["ffn"],
            decoder_ffn_dim=TINY_DIMS["ffn"],
            max_position_embeddings=512,
            pad_token_id=vocab["<pad>"],
            eos_token_id=vocab["</s>"],
            decoder_start_token_id=vocab["<pad>"],
        )
        _save(_seeded(MarianMTModel, config), tokenizer, out)
    return out


def build_bart(lines: list[str], out: Path, vocab_size: int = 1200) -> Path:
    """Tiny BART with a byte-level BPE tokenizer (the distilbart / bart-large-cnn family)."""
    from tokenizers import ByteLevelBPETokenizer
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer

    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(lines, vocab_size=vocab_size, special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"])
    with tempfile.TemporaryDirectory() as tmp:
        vocab_file, merges_file = bpe.save_model(tmp)
        vocab = json.loads(Path(vocab_file).read_text(encoding="utf-8"))
        merges = [tuple(m.split(" ")) for m in Path(merges_file).read_text(encoding="utf-8").splitlines()[1:] if m]
    tokenizer = BartTokenizer(vocab=vocab, merges=merges)
    config = BartConfig(
        vocab_size=len(tokenizer),
        d_model=TINY_DIMS["d_model"],
        encoder_layers=TINY_DIMS["layers"],
        decoder_layers=TINY_DIMS["layers"],
        encoder_attention_heads=TINY_DIMS["heads"],
        decoder_attention_heads=TINY_DIMS["heads"],
        encoder_ffn_dim=TINY_DIMS["ffn"],
        decoder_ffn_dim=TINY_DIMS["ffn"],
        max_position_embeddings=1024,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
        forced_bos_token_id=tokenizer.bos_token_id,
        forced_eos_token_id=tokenizer.eos_token_id,
    )
    _save(_seeded(BartForConditionalGeneration, config), tokenizer, out)
    return out


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
            },
        },
    }


def build_tiny(out_dir: Path, corpus: Path) -> Path:
    """Build every tiny model into out_dir and write out_dir/models.yaml; returns its path."""
    out_dir = Path(out_dir)
    lines = _corpus_lines(Path(corpus))
    if not lines:
        raise SystemExit(f"no text found in {corpus} to train the tiny tokenizers on")
    spm_path = train_sentencepiece(lines, out_dir / "spm")
    build_t5(spm_path, out_dir / "tiny-t5")
    build_marian(spm_path, out_dir / "tiny-marian")
    build_bart(lines, out_dir / "tiny-bart")
    registry = out_dir / "models.yaml"
    registry.write_text(yaml.safe_dump(tiny_registry(), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return registry


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m summarize.testing", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    tiny = sub.add_parser("tiny", help="build tiny random models and a registry pointing at them")
    tiny.add_argument("dir", type=Path)
    tiny.add_argument("--corpus", type=Path, default=Path("seeds"), help="text files to train the tokenizers on")
    args = parser.parse_args(argv)
    print(build_tiny(args.dir, args.corpus))


if __name__ == "__main__":
    main()
