"""The unit of work: a transaction that hands out one repository per aggregate.

Services own transactions: ``async with self.store.write() as tx:`` commits when the block
ends and rolls back on any exception, so a request either writes everything or nothing.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from godwit.ports.accounts import AccountRepository
from godwit.ports.feeds import FeedRepository
from godwit.ports.graph import GraphRepository
from godwit.ports.instance import InstanceRepository
from godwit.ports.jobs import JobRepository
from godwit.ports.notifications import NotificationRepository
from godwit.ports.oauth import OAuthRepository
from godwit.ports.statuses import StatusRepository


class Transaction(Protocol):
    @property
    def accounts(self) -> AccountRepository: ...
    @property
    def oauth(self) -> OAuthRepository: ...
    @property
    def statuses(self) -> StatusRepository: ...
    @property
    def graph(self) -> GraphRepository: ...
    @property
    def feeds(self) -> FeedRepository: ...
    @property
    def notifications(self) -> NotificationRepository: ...
    @property
    def jobs(self) -> JobRepository: ...
    @property
    def instance(self) -> InstanceRepository: ...


class Store(Protocol):
    def read(self) -> AbstractAsyncContextManager[Transaction]: ...
    def write(self) -> AbstractAsyncContextManager[Transaction]: ...
