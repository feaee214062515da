"""Server settings admins edit: name, description, contact, registration mode, character
limit, and the rules. Stored in the database over the configuration's defaults, read by the
instance endpoints, sign-up and posting; every change is audit-logged in its own write."""

from __future__ import annotations

from dataclasses import dataclass

from godwit.config import Settings
from godwit.domain import audit
from godwit.domain.audit import check_reason
from godwit.domain.errors import Invalid, NotFound
from godwit.domain.instance import InstanceRule
from godwit.domain.roles import Actor
from godwit.domain.server_settings import (
    CONTACT_EMAIL,
    DESCRIPTION,
    MAX_RULES,
    MAX_STATUS_CHARS,
    REGISTRATION_MODE,
    TITLE,
    SettingsChange,
    check_rule,
    validated,
)
from godwit.ports.store import Store
from godwit.services.audit import Target, load_staff, now, record
from godwit.services.instance import effective_settings


@dataclass(frozen=True, slots=True)
class ServerSettingsView:
    title: str
    description: str
    contact_email: str
    registration_mode: str
    max_status_chars: int
    rules: tuple[InstanceRule, ...]


def _settings_target() -> Target:
    return Target("settings", None, "server settings")


def _rule_target(rule: InstanceRule) -> Target:
    return Target("rule", rule.id, rule.text[:200])


class ServerSettingsService:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings

    async def current(self, actor: Actor) -> ServerSettingsView:
        async with self.store.read() as tx:
            await load_staff(tx, actor, admin=True)
            values = effective_settings(self.settings, await tx.instance.settings())
            rules = await tx.instance.rules()
        return ServerSettingsView(
            title=values[TITLE],
            description=values[DESCRIPTION],
            contact_email=values[CONTACT_EMAIL],
            registration_mode=values[REGISTRATION_MODE],
            max_status_chars=values[MAX_STATUS_CHARS],
            rules=tuple(rules),
        )

    async def update(
        self, actor: Actor, change: SettingsChange, reason: str = ""
    ) -> ServerSettingsView:
        """Store the settings that differ from those in force; the audit entry lists each
        changed one with its old and new value."""
        wanted = validated(change)
        reason = check_reason(reason)
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor, admin=True)
            before = effective_settings(self.settings, await tx.instance.settings())
            changed: dict[str, object] = {}
            for key, value in wanted.items():
                if before.get(key) != value:
                    await tx.instance.set_setting(key, value)
                    changed[key] = {"from": before.get(key), "to": value}
            if changed:
                await record(
                    tx, staff, audit.SETTINGS_UPDATE, _settings_target(), reason=reason,
                    details=changed,
                )  # fmt: skip
        return await self.current(actor)

    async def add_rule(
        self, actor: Actor, text: str, hint: str = "", reason: str = ""
    ) -> InstanceRule:
        text, hint = check_rule(text, hint)
        reason = check_reason(reason)
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor, admin=True)
            if len(await tx.instance.rules()) >= MAX_RULES:
                raise Invalid(f"A server has at most {MAX_RULES} rules")
            rule = await tx.instance.add_rule(text, hint)
            await record(tx, staff, audit.RULE_CREATE, _rule_target(rule), reason=reason)
            return rule

    async def update_rule(
        self, actor: Actor, rule_id: int, text: str, hint: str = "", reason: str = ""
    ) -> InstanceRule:
        text, hint = check_rule(text, hint)
        reason = check_reason(reason)
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor, admin=True)
            before = await tx.instance.get_rule(rule_id)
            if before is None:
                raise NotFound()
            await tx.instance.update_rule(rule_id, text, hint)
            rule = InstanceRule(id=rule_id, text=text, hint=hint)
            details: dict[str, object] = {
                "from": {"text": before.text, "hint": before.hint},
                "to": {"text": text, "hint": hint},
            }
            await record(
                tx, staff, audit.RULE_UPDATE, _rule_target(rule), reason=reason, details=details
            )
            return rule

    async def delete_rule(self, actor: Actor, rule_id: int, reason: str = "") -> None:
        """The rule stops being shown; reports that cite it keep naming it."""
        reason = check_reason(reason)
        async with self.store.write() as tx:
            staff = await load_staff(tx, actor, admin=True)
            rule = await tx.instance.get_rule(rule_id)
            if rule is None or not await tx.instance.delete_rule(rule_id, now()):
                raise NotFound()
            await record(tx, staff, audit.RULE_DELETE, _rule_target(rule), reason=reason)
