"""The model package's configuration is read, and anything we do not implement is refused."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from godwit.moderation.model_files import ModelFilesMissing, load_config, model_directory
from tests.moderation.support import require_model


def test_the_package_config_is_read() -> None:
    require_model()
    config = load_config()
    assert (config.hidden_size, config.num_layers, config.num_heads) == (384, 6, 12)
    assert (config.max_seq_length, config.normalize) == (256, True)


def test_other_pooling_modes_are_refused(tmp_path: Path) -> None:
    require_model()
    source = model_directory()
    for name in ("config.json", "modules.json", "sentence_bert_config.json"):
        shutil.copyfile(source / name, tmp_path / name)
    (tmp_path / "1_Pooling").mkdir()
    pooling = json.loads((source / "1_Pooling" / "config.json").read_text())
    pooling["pooling_mode_cls_token"] = True
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    with pytest.raises(ModelFilesMissing, match="mean pooling"):
        load_config(tmp_path)
