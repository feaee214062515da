/* Infinite scroll: the "Load older posts" link loads itself when it comes into view.
 *
 * The link stays an ordinary link (it works with a click, or without this script): here
 * the next page is fetched, its posts appended to the feed, and the link pointed at the
 * page after that. The feed says aria-busy while it loads. */
(() => {
  "use strict";

  if (!("IntersectionObserver" in window) || !("DOMParser" in window) || !window.fetch) return;

  function announce(text) {
    let region = document.getElementById("godwit-announcer");
    if (!region) {
      region = document.createElement("div");
      region.id = "godwit-announcer";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.append(region);
    }
    region.textContent = "";
    window.setTimeout(() => { region.textContent = text; }, 100);
  }

  function feedOf(link) {
    const holder = link.closest(".load-more");
    const before = holder && holder.previousElementSibling;
    return before && before.matches(".feed") ? before : document.querySelector(".feed");
  }

  function watch(link) {
    const feed = feedOf(link);
    if (!feed) return;
    const label = link.textContent;
    let loading = false;

    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) load();
    }, { rootMargin: "0px 0px 600px 0px" }); // start before the reader reaches the end

    async function load() {
      if (loading) return;
      loading = true;
      feed.setAttribute("aria-busy", "true");
      link.textContent = "Loading older posts…";
      try {
        const response = await fetch(link.href, {
          credentials: "same-origin",
          headers: { Accept: "text/html" },
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const doc = new DOMParser().parseFromString(await response.text(), "text/html");
        const source = doc.querySelector(".feed");
        let added = 0;
        for (const article of source ? Array.from(source.querySelectorAll(":scope > article")) : []) {
          if (article.id && document.getElementById(article.id)) continue; // already shown
          feed.append(document.adoptNode(article));
          added += 1;
        }
        const next = doc.querySelector("[data-load-more]");
        if (next && added > 0) {
          link.href = next.getAttribute("href");
          link.textContent = label;
          // Observe afresh: if the link is still in view, the next page loads too.
          observer.unobserve(link);
          observer.observe(link);
        } else {
          observer.disconnect();
          if (link === document.activeElement) {
            feed.tabIndex = -1;
            feed.focus({ preventScroll: true });
          }
          (link.closest(".load-more") || link).remove();
        }
        announce(added ? `${added} older ${added === 1 ? "post" : "posts"} loaded.` : "No older posts.");
      } catch (error) {
        // Leave the plain link for a click; stop loading by itself.
        observer.disconnect();
        link.textContent = label;
      } finally {
        loading = false;
        feed.setAttribute("aria-busy", "false");
      }
    }

    observer.observe(link);
  }

  document.querySelectorAll("a[data-load-more]").forEach(watch);
})();
