"""Fixtures of the threat-scorer tests: the encoder and the committed head, loaded once."""

from __future__ import annotations

import pytest

from godwit.moderation.encoder import Encoder
from godwit.moderation.head import ThreatHead
from tests.moderation.support import require_model


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    require_model()
    return Encoder()


@pytest.fixture(scope="session")
def head() -> ThreatHead:
    from godwit.moderation.scorer import shared_head

    return shared_head()
