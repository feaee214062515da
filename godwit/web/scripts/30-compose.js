/* The compose form, enhanced: a live character counter that counts as the server does,
 * previews of the chosen images beside their alt text, only the image and poll inputs in
 * use (plus one more) on show, and no double posting from an impatient second click.
 *
 * Without this script the form shows all four image inputs and all four poll choices and
 * the server counts on submit; nothing here is needed to post. */
(() => {
  "use strict";

  const forms = document.querySelectorAll("form[data-compose]");
  if (!forms.length) return;

  // --- counting, as godwit/domain/text.py countable_length does -----------------------
  // Links count as 23 characters whatever their length, a mention as its @username part,
  // the rest in user-perceived characters (grapheme clusters).
  const URL_RE = /https?:\/\/(?:[\p{L}\p{N}_-]+\.)*[\p{L}\p{N}_-]+(?::\d{1,5})?(?:[/?#][^\s<>"'\x00-\x1f\x7f]*)?/iuy;
  const MENTION_RE = /@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_])?)(?:@([\p{L}\p{N}_.-]*[\p{L}\p{N}_]))?/iuy;
  const CANDIDATE_RE = /https?:\/\/|[@#]/giu;
  const WORD_RE = /^[\p{L}\p{N}\p{M}_]$/u;
  const TRAILING = ".,:;!?'\"*";
  const CLOSERS = { ")": "(", "]": "[", "}": "{" };
  const TAG_SEPARATORS = "\u00b7\u30fb\u200c";
  const URL_PLACEHOLDER = "x".repeat(23);
  const segmenter = typeof Intl !== "undefined" && Intl.Segmenter
    ? new Intl.Segmenter(undefined, { granularity: "grapheme" }) : null;

  const isWord = (char) => WORD_RE.test(char);

  function charBefore(text, index) {
    if (index <= 0) return "";
    const low = text.charCodeAt(index - 1);
    if (low >= 0xdc00 && low <= 0xdfff && index >= 2) return text.slice(index - 2, index);
    return text[index - 1];
  }

  function count(text, char) {
    return text.split(char).length - 1;
  }

  function trimUrl(url) {
    while (url) {
      const last = url[url.length - 1];
      const unbalanced = last in CLOSERS && count(url, last) > count(url, CLOSERS[last]);
      if (TRAILING.includes(last) || unbalanced) url = url.slice(0, -1);
      else break;
    }
    return url;
  }

  function matchUrl(text, start) {
    const before = charBefore(text, start);
    if (before && (isWord(before) || "/@.".includes(before))) return null;
    URL_RE.lastIndex = start;
    const match = URL_RE.exec(text);
    if (!match) return null;
    const url = trimUrl(match[0]);
    return url.includes("://") && !url.endsWith("://") ? url : null;
  }

  function matchMention(text, start) {
    const before = charBefore(text, start);
    if (before && (isWord(before) || "=/@".includes(before))) return null;
    MENTION_RE.lastIndex = start;
    const match = MENTION_RE.exec(text);
    return match ? { written: match[0], username: match[1] } : null;
  }

  function matchTag(text, start) {
    const before = charBefore(text, start);
    if (before && (isWord(before) || "=/)#&".includes(before))) return null;
    let end = start + 1;
    while (end < text.length) {
      const char = String.fromCodePoint(text.codePointAt(end));
      if (!isWord(char) && !TAG_SEPARATORS.includes(char)) break;
      end += char.length;
    }
    let name = text.slice(start + 1, end);
    while (name && TAG_SEPARATORS.includes(name[name.length - 1])) name = name.slice(0, -1);
    if (!name || !isWord(String.fromCodePoint(name.codePointAt(0)))) return null;
    if (/^[\p{Nd}\p{M}]+$/u.test(name)) return null;
    return name;
  }

  function countable(text, spoiler) {
    let out = "";
    let position = 0;
    CANDIDATE_RE.lastIndex = 0;
    let candidate;
    while ((candidate = CANDIDATE_RE.exec(text)) !== null) {
      const start = candidate.index;
      if (start < position) continue;
      let replacement = null;
      let length = 0;
      if (text[start] === "@") {
        const mention = matchMention(text, start);
        if (mention) [replacement, length] = ["@" + mention.username, mention.written.length];
      } else if (text[start] === "#") {
        const tag = matchTag(text, start);
        if (tag) [replacement, length] = ["#" + tag, tag.length + 1];
      } else {
        const url = matchUrl(text, start);
        if (url) [replacement, length] = [URL_PLACEHOLDER, url.length];
      }
      if (replacement === null) {
        CANDIDATE_RE.lastIndex = start + 1;
        continue;
      }
      out += text.slice(position, start) + replacement;
      position = start + length;
      CANDIDATE_RE.lastIndex = position;
    }
    out += text.slice(position);
    return graphemes(spoiler + out);
  }

  function graphemes(text) {
    if (!segmenter) return Array.from(text).length;
    let total = 0;
    for (const _ of segmenter.segment(text)) total += 1;
    return total;
  }

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

  const chars = (n) => (n === 1 ? "1 character" : `${n} characters`);

  function counter(form) {
    const textarea = form.querySelector("textarea[data-counter]");
    const output = textarea && document.getElementById(textarea.dataset.counter);
    const max = Number(form.dataset.maxChars);
    if (!output || !Number.isFinite(max)) return;
    const spoiler = form.querySelector("[name=spoiler_text]");
    let state = "";
    function update() {
      const left = max - countable(textarea.value.trim(), spoiler ? spoiler.value.trim() : "");
      output.textContent = left < 0 ? `${chars(-left)} over the limit of ${max}`
        : `${left} of ${max} characters left`;
      output.classList.toggle("compose__counter--over", left < 0);
      output.classList.toggle("compose__counter--near", left >= 0 && left <= 20);
      // The counter is not a live region (every keystroke would be read): crossing into
      // "nearly full" or "too long" is announced once.
      const now = left < 0 ? "over" : left <= 20 ? "near" : "ok";
      if (now !== state && state !== "") {
        if (now === "over") announce(`Your post is ${chars(-left)} over the limit.`);
        else if (now === "near") announce(`${chars(left)} left.`);
      }
      state = now;
    }
    form.querySelectorAll("[data-counted]").forEach((field) => field.addEventListener("input", update));
    update();
  }

  // --- images -----------------------------------------------------------------------------
  function images(form) {
    const slots = Array.from(form.querySelectorAll("[data-image-slot]"));

    function used(slot) {
      const input = slot.querySelector("input[type=file]");
      const alt = slot.querySelector("textarea");
      return slot.hasAttribute("data-filled") || slot.classList.contains("field--invalid")
        || Boolean(input && input.files && input.files.length) || Boolean(alt && alt.value.trim());
    }

    // The slots in use and one empty one are shown; the others wait their turn.
    function refresh() {
      let offered = false;
      for (const slot of slots) {
        if (used(slot)) {
          slot.hidden = false;
        } else {
          slot.hidden = offered;
          offered = true;
        }
      }
    }

    for (const slot of slots) {
      const input = slot.querySelector("input[type=file]");
      if (!input) continue;
      let preview = slot.querySelector(".compose__preview");
      const original = preview ? preview.getAttribute("src") : null;
      const clear = document.createElement("button");
      clear.type = "button";
      clear.className = "button button--ghost button--small compose__clear";
      clear.textContent = `Clear the chosen file (${slot.querySelector("legend").textContent})`;
      clear.hidden = true;
      input.after(clear);

      input.addEventListener("change", () => {
        const file = input.files && input.files[0];
        if (preview && preview.src.startsWith("blob:")) URL.revokeObjectURL(preview.src);
        if (file && file.type.startsWith("image/")) {
          if (!preview) {
            preview = document.createElement("img");
            preview.className = "compose__preview";
            preview.alt = ""; // the alt text field beside it describes the image
            slot.querySelector("legend").after(preview);
          }
          preview.src = URL.createObjectURL(file);
          preview.hidden = false;
        } else if (preview) {
          if (original) preview.src = original;
          else preview.hidden = true;
        }
        clear.hidden = !file;
        refresh();
      });
      clear.addEventListener("click", () => {
        input.value = "";
        input.dispatchEvent(new Event("change"));
        input.focus();
      });
    }
    form.querySelectorAll("[data-image-slot] textarea").forEach((alt) => alt.addEventListener("input", refresh));
    refresh();
  }

  // --- poll -------------------------------------------------------------------------------
  function poll(form) {
    const holder = form.querySelector("[data-poll]");
    if (!holder) return;
    const options = Array.from(holder.querySelectorAll("[data-poll-option]"));
    const add = document.createElement("button");
    add.type = "button";
    add.className = "button button--ghost button--small compose__add-choice";
    add.textContent = "Add a choice";
    options[options.length - 1].after(add);

    // Two choices to start with; more as they are asked for, or as they hold text.
    options.forEach((option, index) => {
      const input = option.querySelector("input");
      option.hidden = index >= 2 && !input.value.trim() && !holder.classList.contains("field--invalid");
    });
    const update = () => { add.hidden = options.every((option) => !option.hidden); };
    add.addEventListener("click", () => {
      const next = options.find((option) => option.hidden);
      if (!next) return;
      next.hidden = false;
      next.querySelector("input").focus();
      update();
    });
    update();
  }

  // --- the rest -----------------------------------------------------------------------------
  function visibilityHint(form) {
    const select = form.querySelector("select[name=visibility]");
    const hint = form.querySelector("[data-visibility-hint]");
    if (!select || !hint) return;
    select.addEventListener("change", () => {
      const option = select.selectedOptions[0];
      hint.textContent = option ? option.dataset.hint || "" : "";
    });
  }

  function submitOnce(form) {
    const submit = form.querySelector("button[type=submit]");
    let sent = false;
    form.addEventListener("submit", (event) => {
      if (sent) {
        event.preventDefault(); // the idempotency key would make it harmless; skip the wait
        return;
      }
      sent = true;
      if (submit) {
        submit.setAttribute("aria-disabled", "true");
        submit.dataset.label = submit.textContent;
        submit.textContent = "Posting…";
      }
    });
    // Back to this page from the history: the form may be sent again.
    window.addEventListener("pageshow", () => {
      sent = false;
      if (submit && submit.dataset.label) {
        submit.textContent = submit.dataset.label;
        submit.removeAttribute("aria-disabled");
      }
    });
    const textarea = form.querySelector("textarea[name=status]");
    if (textarea) {
      textarea.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          form.requestSubmit();
        }
      });
    }
  }

  forms.forEach((form) => {
    counter(form);
    images(form);
    poll(form);
    visibilityHint(form);
    submitOnce(form);
  });
})();
