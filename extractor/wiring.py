"""The composition root: the pieces a job needs (a provider, an extractor, a comparer), built from
its options in one place, for the commands, the review page, benchmarks and tests alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from extractor.compare import ModelComparer
from extractor.compare.model import PROMPT as COMPARE_PROMPT
from extractor.entities import default_entities
from extractor.errors import ConfigError
from extractor.extract.pipeline import Extractor, Strategy
from extractor.extract.strategies import STRATEGIES, LabelledBatches
from extractor.providers import recordings
from extractor.providers.client import LLMClient
from extractor.providers.config import ProviderConfig, load_config
from extractor.store import Store

REPLAY_BASE_URL = "http://recordings.invalid/v1"


def _config(opts: dict[str, Any]) -> ProviderConfig:
    return load_config(
        config_file=opts.get("config_file"),
        base_url=opts.get("base_url"),
        model=opts.get("model"),
        mode=opts.get("mode"),
    )


def _live_mode(config: ProviderConfig, record: bool) -> str | None:
    """'record' (which needs an endpoint), 'live' when one is configured, else None (replay)."""
    if record and not config.base_url:
        raise ConfigError(
            "recording needs a live endpoint: set OPENAI_BASE_URL (and OPENAI_API_KEY) or --base-url"
        )
    if record:
        return "record"
    return "live" if config.live else None


def provider_for(
    command: str, opts: dict[str, Any], *, record: bool = False
) -> tuple[ProviderConfig, str, str]:
    """(config, mode, a sentence saying where answers come from)."""
    recordings_dir = opts.get("recordings_dir") or recordings.default_recordings_dir()
    config = _config(opts)
    live = _live_mode(config, record)
    if live == "record":
        return config, "record", f"recording answers of {config.model} at {config.endpoint_label}"
    if live == "live":
        return config, "live", f"calling {config.model} at {config.endpoint_label}"
    strategy = STRATEGIES[opts.get("strategy") or "batches"]()
    meta = recordings.recorded_with(Path(recordings_dir), strategy.prompt.name)
    model = opts.get("model") or meta.get("model") or config.model
    replay = config.model_copy(update={"base_url": REPLAY_BASE_URL, "model": model, "transport_retries": 0})
    who = f"{meta.get('model', 'unknown model')} served by {meta.get('server', 'an unknown server')}"
    return (
        replay,
        "replay",
        (
            "no endpoint configured (OPENAI_BASE_URL): "
            f"replaying recorded answers of {who} from {recordings_dir}"
        ),
    )


def strategy_for(opts: dict[str, Any]) -> Strategy:
    """The extraction strategy the options name (batches of 8 sentences a call unless told)."""
    name = opts.get("strategy") or "batches"
    if name == "batches" and opts.get("batch_size"):
        return LabelledBatches(size=int(opts["batch_size"]))
    return STRATEGIES[name]()


def make_extractor(store: Store, config: ProviderConfig, mode: str, opts: dict[str, Any]) -> Extractor:
    kwargs: dict[str, Any] = {}
    if opts.get("recordings_dir"):
        kwargs["recordings_dir"] = Path(opts["recordings_dir"])
    strategy = strategy_for(opts)
    return Extractor(
        store=store,
        llm=LLMClient(config),
        mode=mode,
        entities=default_entities(),
        strategy=strategy,
        **kwargs,
    )


def make_comparer(store: Store, opts: dict[str, Any], *, record: bool = False) -> ModelComparer | None:
    """The statement comparer: live when an endpoint is configured, recording with `record`, else
    replaying the recordings (a pair with none is skipped and counted). None with --no-compare."""
    if opts.get("no_compare"):
        return None
    recordings_dir = Path(opts.get("recordings_dir") or recordings.default_recordings_dir())
    config = _config(opts)
    mode = _live_mode(config, record) or "replay"
    if mode == "replay":
        meta = recordings.recorded_with(recordings_dir, COMPARE_PROMPT)
        model = opts.get("model") or meta.get("model") or config.model
        config = config.model_copy(
            update={"base_url": REPLAY_BASE_URL, "model": model, "transport_retries": 0}
        )
    return ModelComparer(llm=LLMClient(config), mode=mode, cache=store, recordings_dir=recordings_dir)
