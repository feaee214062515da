/* The buttons under a post, without leaving the page: favourite, boost and bookmark are
 * sent with fetch and answered with the post's new state (pressed, count), which every
 * copy of the post on the page then shows. Forms with data-confirm ask first.
 *
 * Without this script (or if anything goes wrong) the forms are posted as they are, and
 * the server sends the browser back to the same place. */
(() => {
  "use strict";

  const TOGGLE = /^\/web\/statuses\/(\d+)\/(?:un)?(favourite|reblog|bookmark)$/;
  const busy = new WeakSet();

  function pathOf(form) {
    return new URL(form.getAttribute("action") || "", window.location.href).pathname;
  }

  function show(id, kind, state) {
    document.querySelectorAll(`form[action^="/web/statuses/${id}/"]`).forEach((form) => {
      const match = TOGGLE.exec(pathOf(form));
      if (!match || match[2] !== kind) return;
      form.setAttribute("action", `/web/statuses/${id}/${state.action}`);
      const button = form.querySelector("button");
      if (button) button.setAttribute("aria-pressed", state.pressed ? "true" : "false");
      const count = form.querySelector(".status__count");
      if (count && typeof state.count === "number") count.textContent = String(state.count);
    });
  }

  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.dataset.confirm) {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      return;
    }
    const match = TOGGLE.exec(pathOf(form));
    if (!match || !window.fetch) return;
    event.preventDefault();
    if (busy.has(form)) return; // one request at a time per button
    busy.add(form);
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      const type = response.headers.get("content-type") || "";
      if (!response.ok || !type.includes("application/json")) throw new Error(`HTTP ${response.status}`);
      const state = await response.json();
      if (String(state.id) !== match[1] || typeof state.action !== "string") throw new Error("answer");
      show(match[1], match[2], state);
    } catch (error) {
      // The page's own way: the server shows the outcome, or why it could not be done
      // (signed out, post gone). Each action is idempotent, so sending it again is safe.
      form.submit();
    } finally {
      busy.delete(form);
    }
  });
})();
