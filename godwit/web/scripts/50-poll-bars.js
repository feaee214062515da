/* Poll results: each bar is as wide as its share of the votes (data-share, in percent).
 *
 * The page may not carry style attributes (the Content-Security-Policy forbids inline
 * styles), so the width is set here; without the script the percentages are still written
 * beside each choice. Posts added later (live updates, infinite scroll) are sized too. */
(() => {
  "use strict";

  function size(root) {
    const bars = root.matches && root.matches(".poll__bar[data-share]") ? [root]
      : root.querySelectorAll(".poll__bar[data-share]");
    bars.forEach((bar) => {
      const share = Number(bar.dataset.share);
      if (Number.isFinite(share)) bar.style.width = `${Math.min(100, Math.max(0, share))}%`;
    });
  }

  size(document);
  new MutationObserver((records) => {
    for (const record of records) {
      record.addedNodes.forEach((node) => {
        if (node.nodeType === Node.ELEMENT_NODE) size(node);
      });
    }
  }).observe(document.body, { childList: true, subtree: true });
})();
