/* Live timelines: new posts arrive without a reload.
 *
 * A `.feed[data-live]` names its timeline (home, local, public, tag:<name>, list:<id>);
 * /web/live/<name> streams Server-Sent Events whose `update` data is the status card's HTML,
 * rendered by the server for this reader. A reader at the top of the feed sees new posts
 * appear; one who has scrolled down gets a "N new posts" button instead of a jump. Deleted
 * posts disappear. Screen readers hear a short polite summary, not every post.
 * Without this script the page is the same, reloaded by hand. */
(() => {
  "use strict";

  const feed = document.querySelector(".feed[data-live]");
  if (!feed || !("EventSource" in window) || !("DOMParser" in window)) return;
  // An older page (?max_id=) is history: new posts belong on the first page.
  if (new URLSearchParams(window.location.search).has("max_id")) return;

  const url = "/web/live/" + encodeURIComponent(feed.dataset.live || "");
  const MAX_DELAY = 5 * 60 * 1000;
  const pending = []; // new posts held back while the reader is further down, newest first
  let source = null;
  let delay = 1000;
  let timer = 0;
  let missed = false; // the stream was interrupted: posts may have been published meanwhile
  let announceTimer = 0;
  let arrived = 0;

  function announcer() {
    let region = document.getElementById("godwit-announcer");
    if (!region) {
      region = document.createElement("div");
      region.id = "godwit-announcer";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.append(region);
    }
    return region;
  }
  announcer(); // present before the first message, so that it is read

  function announce(text) {
    const region = announcer();
    region.textContent = "";
    window.setTimeout(() => { region.textContent = text; }, 100);
  }

  const posts = (count) => (count === 1 ? "1 new post" : `${count} new posts`);

  // Posts arriving close together are announced once, together.
  function announceArrival() {
    arrived += 1;
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(() => {
      const waiting = pending.length;
      announce(waiting ? `${posts(waiting)} waiting: the "Show" button above the timeline shows them.`
        : `${posts(arrived)} at the top of the timeline.`);
      arrived = 0;
    }, 1500);
  }

  const button = document.createElement("button");
  button.type = "button";
  button.className = "button new-posts";
  button.hidden = true;
  feed.before(button);

  function updateButton() {
    button.hidden = pending.length === 0;
    button.textContent = `Show ${posts(pending.length)}`;
  }

  function readingTop() {
    // The top of the feed is on screen (the sticky header covers about 4rem).
    return feed.getBoundingClientRect().top > -40;
  }

  function parseCard(html) {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const article = doc.querySelector("article.status");
    return article ? document.adoptNode(article) : null;
  }

  function known(id) {
    return Boolean(document.getElementById(id)) || pending.some((article) => article.id === id);
  }

  function insert(articles) {
    const empty = feed.querySelector(":scope > .empty");
    if (empty) empty.remove();
    for (const article of articles.slice().reverse()) {
      article.classList.add("status--new");
      feed.prepend(article);
    }
  }

  function arrive(html) {
    const article = parseCard(html);
    if (!article || !article.id || known(article.id)) return;
    if (readingTop() && pending.length === 0) {
      insert([article]);
    } else {
      pending.unshift(article);
      updateButton();
    }
    announceArrival();
  }

  button.addEventListener("click", () => {
    const shown = pending.splice(0, pending.length);
    insert(shown);
    updateButton();
    feed.scrollIntoView({ block: "start" });
    const first = shown[0];
    if (first) {
      first.tabIndex = -1; // focus moves to the newest post, where reading starts again
      first.focus({ preventScroll: true });
    }
    announce(`${posts(shown.length)} shown.`);
  });

  // An edited post is replaced in place, keeping its content warning open if it was.
  function replace(html) {
    const fresh = parseCard(html);
    if (!fresh) return;
    const old = document.getElementById(fresh.id);
    if (!old || old.contains(document.activeElement)) return;
    old.querySelectorAll("details[open]").forEach((details) => {
      const twin = details.className && fresh.querySelector("details." + details.className.split(" ")[0]);
      if (twin) twin.open = true;
    });
    old.replaceWith(fresh);
  }

  function remove(id) {
    if (!/^\d+$/.test(id)) return;
    const gone = Array.from(feed.querySelectorAll("article.status")).filter((article) =>
      article.dataset.id === id
      || Array.from(article.querySelectorAll("a.status__time")).some((link) =>
        link.getAttribute("href").endsWith("/" + id)));
    for (const article of gone) {
      if (article.contains(document.activeElement)) {
        const next = article.nextElementSibling || article.previousElementSibling;
        const target = next && next.matches("article") ? next : feed;
        target.tabIndex = -1;
        target.focus({ preventScroll: true });
      }
      article.remove();
    }
    for (let i = pending.length - 1; i >= 0; i -= 1) {
      if (pending[i].dataset.id === id) pending.splice(i, 1);
    }
    updateButton();
  }

  // After an interruption, the first page tells what was published meanwhile.
  async function catchUp() {
    try {
      const page = window.location.pathname + window.location.search;
      const response = await fetch(page, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!response.ok) return;
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = Array.from(doc.querySelectorAll(".feed[data-live] > article.status"))
        .filter((article) => article.id && !known(article.id));
      for (const article of fresh.reverse()) arrive(article.outerHTML);
    } catch (error) {
      // Offline again: the next reconnection tries once more.
      missed = true;
    }
  }

  function connect() {
    window.clearTimeout(timer);
    source = new EventSource(url);
    source.addEventListener("open", () => {
      delay = 1000;
      if (missed) {
        missed = false;
        catchUp();
      }
    });
    source.addEventListener("update", (event) => arrive(event.data));
    source.addEventListener("status.update", (event) => replace(event.data));
    source.addEventListener("delete", (event) => remove(event.data));
    source.addEventListener("end", () => {
      // The session ended (signed out elsewhere): nothing to reconnect for.
      source.close();
      source = null;
    });
    source.addEventListener("error", () => {
      // Reconnect ourselves, backing off, rather than let a failing server be hammered.
      if (source) source.close();
      source = null;
      missed = true;
      timer = window.setTimeout(connect, delay + Math.random() * delay * 0.5);
      delay = Math.min(delay * 2, MAX_DELAY);
    });
  }

  // An open stream keeps the page out of the back/forward cache: close it on leaving.
  window.addEventListener("pagehide", () => {
    window.clearTimeout(timer);
    if (source) source.close();
    source = null;
    missed = true;
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted && !source) connect();
  });

  connect();
})();
