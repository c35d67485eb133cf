"""Where the model is: flags over environment variables over a config file over defaults."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, Field, SecretStr

from extractor.errors import ConfigError

MODES = ("tools", "json", "md_json", "json_schema")
DEFAULT_CONFIG_FILES = (Path("claimdiff.toml"), Path.home() / ".config" / "claimdiff" / "config.toml")


class ProviderConfig(BaseModel):
    base_url: str | None = None
    api_key: SecretStr | None = None
    model: str = "gpt-4o-mini"
    mode: str = Field(default="tools", description="instructor mode: tools, json, md_json, json_schema")
    timeout: float = 300.0
    transport_retries: int = Field(default=3, description="retries of transport errors (one layer)")
    reasks: int = Field(default=2, description="re-asks after a validation failure, with the error")
    max_output_tokens: int = 2048
    temperature: float = 0.0

    @property
    def live(self) -> bool:
        return bool(self.base_url or self.api_key)

    @property
    def endpoint_label(self) -> str:
        """Host and path only: safe for logs and records (no credentials, no query)."""
        if not self.base_url:
            return "api.openai.com (default)"
        parts = urlsplit(self.base_url)
        return f"{parts.hostname or ''}{':' + str(parts.port) if parts.port else ''}{parts.path}"


def _read_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{path}: cannot read config file: {e}") from None
    section = data.get("provider", data)
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [provider] must be a table")
    if "api_key" in section:
        raise ConfigError(f"{path}: keep api_key out of config files; set OPENAI_API_KEY instead")
    return section


def load_config(
    *,
    config_file: Path | None = None,
    env: dict[str, str] | None = None,
    **flags: Any,
) -> ProviderConfig:
    env = dict(os.environ) if env is None else env
    values: dict[str, Any] = {}
    files = [config_file] if config_file else [p for p in DEFAULT_CONFIG_FILES if p.is_file()]
    for f in files:
        if config_file and not f.is_file():
            raise ConfigError(f"{f}: config file not found")
        values.update(_read_file(f))
    for key, var in (
        ("base_url", "OPENAI_BASE_URL"),
        ("api_key", "OPENAI_API_KEY"),
        ("model", "CLAIMDIFF_MODEL"),
    ):
        if env.get(var):
            values[key] = env[var]
    values.update({k: v for k, v in flags.items() if v is not None})
    if values.get("mode", "tools") not in MODES:
        raise ConfigError(f"unknown mode {values['mode']!r}; choose one of {', '.join(MODES)}")
    try:
        return ProviderConfig(**values)
    except ValueError as e:
        raise ConfigError(f"bad provider configuration: {e}") from None
