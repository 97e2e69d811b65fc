/* Shutter's progressive enhancement. Every page works without this file: each action is a
   form POST or a link. With it, like / save / follow toggle in place, comments post without a
   reload, feeds load their next page as you scroll, carousels get dots and arrows, and the
   new-post form previews its images and counts characters.

   Contract with the views (they answer JSON when the request says `Accept: application/json`):
     like toggle      POST /p/<id>/like/ | /p/<id>/unlike/   → {"liked": bool, "like_count": int}
     save toggle      POST /p/<id>/save/ | /p/<id>/unsave/   → {"saved": bool}
     follow toggle    POST /u/<name>/follow/ | /unfollow/    → {"state": "" | "pending" | "accepted",
                                                                 "follower_count": int}
     add comment      POST /p/<id>/comments/ (reply_to=<id>) → {"html": "<li…>", "comment_count": int,
                                                                  "parent_id": int | null}
                                                                 or 400 {"text": ["message"]}
     comment like     POST /comments/<id>/like/ | /unlike/   → {"liked": bool, "like_count": int}
     delete comment   POST /comments/<id>/delete/            → {"deleted": true, "comment_count": int}
     answer request   POST /requests/<id>/accept/ | decline/ → {"state": "accepted" | "declined"}
   Any other answer falls back to what the browser would have done without this file. */
(() => {
  "use strict";

  document.documentElement.classList.add("js");
  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  const JSON_HEADERS = { Accept: "application/json", "X-Requested-With": "fetch" };

  // ---- Helpers --------------------------------------------------------------------------
  function csrfToken(form) {
    const input = form && form.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) return input.value;
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function icon(name, size = 24) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", `icon icon--${name}`);
    svg.setAttribute("width", size);
    svg.setAttribute("height", size);
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const use = document.createElementNS(ns, "use");
    use.setAttribute("href", `#i-${name}`);
    svg.append(use);
    return svg;
  }

  let statusRegion;
  function announce(text) {
    if (!statusRegion) {
      statusRegion = document.createElement("div");
      statusRegion.className = "visually-hidden";
      statusRegion.setAttribute("role", "status");
      statusRegion.setAttribute("aria-live", "polite");
      document.body.append(statusRegion);
    }
    statusRegion.textContent = "";
    // A fresh text node in a later frame makes screen readers read repeated messages too.
    requestAnimationFrame(() => { statusRegion.textContent = text; });
  }

  function formatCount(n) {
    if (n < 10000) return n.toLocaleString("en-US");
    for (const [limit, suffix] of [[1e3, "K"], [1e6, "M"], [1e9, "B"]]) {
      const scaled = Math.round((n / limit) * 10) / 10;
      if (scaled < 1000 || suffix === "B") return `${String(scaled).replace(/\.0$/, "")}${suffix}`;
    }
    return String(n);
  }

  function plural(n, word) {
    return `${word}${n === 1 ? "" : "s"}`;
  }

  function fragment(html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content;
  }

  // The browser's own submit, bypassing our listener (and any control named "submit").
  function submitNatively(form) {
    HTMLFormElement.prototype.submit.call(form);
  }

  async function postForm(form, url) {
    const response = await fetch(url || form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { ...JSON_HEADERS, "X-CSRFToken": csrfToken(form) },
    });
    const type = response.headers.get("Content-Type") || "";
    const data = type.includes("application/json") ? await response.json().catch(() => null) : null;
    return { response, data };
  }

  // An answer we can't use in place: if the server did the work the classic way (it redirected
  // to a page), show that page; otherwise let the browser submit, so the person sees what the
  // server says (log-in page, expired-form page…).
  function fallBack(form, response) {
    if (response && response.ok && response.redirected) {
      window.location.assign(response.url);
    } else {
      submitNatively(form);
    }
  }

  // ---- Toggles: like, save, follow ------------------------------------------------------
  function setPressed(form, on) {
    const button = form.querySelector("button");
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.classList.toggle("is-on", on);
    form.action = on ? form.dataset.onUrl : form.dataset.offUrl;
    if (on && !reducedMotion.matches) {
      button.classList.remove("is-popping");
      void button.offsetWidth; // restart the animation
      button.classList.add("is-popping");
    }
  }

  function showLikes(postId, count) {
    document.querySelectorAll(`[data-like-summary="${postId}"]`).forEach((el) => {
      el.dataset.count = count;
      if (count) {
        el.replaceChildren();
        const strong = document.createElement("strong");
        strong.textContent = count.toLocaleString("en-US");
        el.append(strong, ` ${plural(count, "like")}`);
      } else {
        el.textContent = "Be the first to like this";
      }
    });
  }

  function showCommentLikes(commentId, count) {
    document.querySelectorAll(`[data-comment-likes="${commentId}"]`).forEach((el) => {
      el.textContent = count ? `${count.toLocaleString("en-US")} ${plural(count, "like")}` : "";
    });
  }

  const FOLLOW_LABELS = {
    accepted: ["Following", (name) => `: unfollow ${name}`],
    pending: ["Requested", (name) => `: cancel the request to ${name}`],
    "": ["Follow", (name) => ` ${name}`],
  };

  function showFollow(form, state) {
    const name = form.dataset.username;
    const button = form.querySelector("button");
    const [label, hidden] = FOLLOW_LABELS[state] || FOLLOW_LABELS[""];
    const extra = document.createElement("span");
    extra.className = "visually-hidden";
    extra.textContent = hidden(name);
    button.replaceChildren(label, extra);
    button.dataset.followState = state;
    button.classList.toggle("btn--primary", !state);
    button.classList.toggle("btn--secondary", Boolean(state));
    form.action = state ? form.dataset.onUrl : form.dataset.offUrl;
  }

  function showFollowers(name, count) {
    document.querySelectorAll(`[data-follower-summary="${CSS.escape(name)}"]`).forEach((el) => {
      const strong = document.createElement("strong");
      strong.textContent = formatCount(count);
      el.replaceChildren(strong, ` ${plural(count, "follower")}`);
    });
  }

  const TOGGLES = {
    like(form, data) {
      if (typeof data.liked !== "boolean") return false;
      setPressed(form, data.liked);
      if (Number.isInteger(data.like_count)) showLikes(form.dataset.post, data.like_count);
      announce(data.liked ? "Liked" : "Like removed");
      return true;
    },
    "comment-like"(form, data) {
      if (typeof data.liked !== "boolean") return false;
      setPressed(form, data.liked);
      if (Number.isInteger(data.like_count)) showCommentLikes(form.dataset.comment, data.like_count);
      announce(data.liked ? "Comment liked" : "Comment like removed");
      return true;
    },
    save(form, data) {
      if (typeof data.saved !== "boolean") return false;
      setPressed(form, data.saved);
      announce(data.saved ? "Saved" : "Removed from saved");
      return true;
    },
    follow(form, data) {
      if (typeof data.state !== "string") return false;
      showFollow(form, data.state);
      if (Number.isInteger(data.follower_count)) {
        showFollowers(form.dataset.username, data.follower_count);
      }
      const name = form.dataset.username;
      const said = { accepted: `Following ${name}`, pending: `Follow request sent to ${name}` };
      announce(said[data.state] || `You unfollowed ${name}`);
      return true;
    },
  };

  async function toggle(form) {
    const { response, data } = await postForm(form);
    const apply = TOGGLES[form.dataset.toggle];
    if (!(response.ok && data && apply && apply(form, data))) fallBack(form, response);
  }

  // ---- Comments -------------------------------------------------------------------------
  function showCommentCount(postId, count) {
    const link = document.querySelector(`[data-comment-count="${postId}"]`);
    if (!link || !Number.isInteger(count)) return;
    link.textContent = count === 1 ? "View 1 comment" : `View all ${count.toLocaleString("en-US")} comments`;
    link.hidden = count === 0;
  }

  function firstMessage(data) {
    if (!data) return "";
    if (data.text) return [].concat(data.text).join(" ");
    if (data.detail) return String(data.detail);
    return Object.values(data).flat().join(" ");
  }

  async function addComment(form) {
    const textarea = form.querySelector("textarea");
    const error = form.querySelector("[data-comment-error]");
    const { response, data } = await postForm(form);
    if (response.ok && data && typeof data.html === "string") {
      const list = (Number.isInteger(data.parent_id)
        && document.querySelector(`[data-reply-list="${data.parent_id}"]`))
        || document.querySelector(`[data-comment-list="${form.dataset.post}"]`);
      const item = fragment(data.html).firstElementChild;
      if (list && item) {
        item.classList.add("is-new");
        list.append(item);
      }
      showCommentCount(form.dataset.post, data.comment_count);
      form.reset();
      replyEnd(form);
      textarea.removeAttribute("aria-invalid");
      if (error) error.hidden = true;
      announce("Comment posted");
      return;
    }
    if (response.status === 400 && data && error) {
      error.textContent = firstMessage(data) || "That comment can't be posted.";
      error.hidden = false;
      textarea.setAttribute("aria-invalid", "true");
      textarea.setAttribute("aria-describedby", error.id);
      textarea.focus();
      return;
    }
    fallBack(form, response);
  }

  async function deleteComment(form) {
    const { response, data } = await postForm(form);
    if (!(response.ok && data && data.deleted)) return fallBack(form, response);
    const item = form.closest(".comment");
    const list = item && item.closest("[data-comment-list]");
    if (item) item.remove();
    if (list) showCommentCount(list.dataset.commentList, data.comment_count);
    announce("Comment deleted");
  }

  // Reply on the post's page: the post's comment form answers that comment (reply_to), its
  // text starting with an @mention; without scripts the Reply link opens a page of its own.
  function replyStart(link) {
    const card = link.closest("[data-post-card]");
    const form = card && card.querySelector("[data-comment-form]");
    const comment = link.closest(".comment");
    if (!form || !comment) return false;
    let input = form.querySelector("input[name=reply_to]");
    if (!input) {
      input = Object.assign(document.createElement("input"), { type: "hidden", name: "reply_to" });
      form.append(input);
    }
    input.value = link.dataset.replyTo;
    const name = comment.querySelector(".comment__text .username");
    const textarea = form.querySelector("textarea");
    if (name && !textarea.value.trim()) textarea.value = `@${name.textContent.trim()} `;
    textarea.placeholder = name ? `Reply to ${name.textContent.trim()}…` : "Reply…";
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
    return true;
  }

  function replyEnd(form) {
    const input = form.querySelector("input[name=reply_to]");
    if (input) input.remove();
    const textarea = form.querySelector("textarea");
    if (textarea) textarea.placeholder = "Add a comment…";
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-reply-to]");
    if (!link || event.metaKey || event.ctrlKey || event.shiftKey) return;
    if (replyStart(link)) event.preventDefault();
  });

  // ---- Follow requests ------------------------------------------------------------------
  async function answerRequest(form) {
    const { response, data } = await postForm(form);
    if (!(response.ok && data && data.state)) return fallBack(form, response);
    const actions = form.closest("[data-request-actions]");
    const note = document.createElement("span");
    note.className = "muted";
    note.textContent = data.state === "accepted" ? "Request confirmed" : "Request removed";
    actions.replaceWith(note);
    announce(note.textContent);
  }

  const SUBMIT_HANDLERS = [
    ["[data-toggle]", toggle],
    ["[data-comment-form]", addComment],
    ["[data-comment-delete]", deleteComment],
    ["[data-request-answer]", answerRequest],
  ];

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    // Unfollowing a private account: ask here, and tell the server we did (without this
    // file, the server answers with its own "Unfollow them?" page).
    form.querySelectorAll("input[name=confirmed]").forEach((input) => input.remove());
    const followButton = form.dataset.confirmUnfollow && form.querySelector("[data-follow-state]");
    if (followButton && followButton.dataset.followState === "accepted") {
      if (!window.confirm(form.dataset.confirmUnfollow)) {
        event.preventDefault();
        return;
      }
      form.append(Object.assign(document.createElement("input"), { type: "hidden", name: "confirmed", value: "1" }));
    }
    const entry = SUBMIT_HANDLERS.find(([selector]) => form.matches(selector));
    if (!entry || !window.fetch) return;
    event.preventDefault();
    if (form.getAttribute("aria-busy") === "true") return;
    form.setAttribute("aria-busy", "true");
    entry[1](form)
      .catch(() => submitNatively(form)) // network failure: the request may not have arrived
      .finally(() => form.removeAttribute("aria-busy"));
  });

  // Enter posts a comment; Shift+Enter makes a new line.
  document.addEventListener("keydown", (event) => {
    const textarea = event.target;
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    if (!(textarea instanceof HTMLTextAreaElement) || !textarea.closest("[data-comment-form]")) return;
    event.preventDefault();
    if (textarea.value.trim()) textarea.form.requestSubmit();
  });

  // ---- Infinite scroll ------------------------------------------------------------------
  const pageObserver = "IntersectionObserver" in window
    ? new IntersectionObserver((entries) => {
      entries.forEach((entry) => { if (entry.isIntersecting) loadMore(entry.target, false); });
    }, { rootMargin: "0px 0px 800px 0px" })
    : null;

  async function loadMore(link, moveFocus) {
    if (link.dataset.loading || link.dataset.failed) return;
    const key = link.dataset.loadMore;
    const list = document.querySelector(`[data-infinite="${key}"]`);
    const wrapper = link.closest(".load-more") || link;
    if (!list) return;
    link.dataset.loading = "1";
    wrapper.classList.add("is-loading");
    wrapper.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(link.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const doc = new DOMParser().parseFromString(await response.text(), "text/html");
      const incoming = doc.querySelector(`[data-infinite="${key}"]`);
      if (!incoming) throw new Error("no list in the next page");
      const items = [...incoming.children];
      list.append(...items);
      items.forEach(enhance);
      const next = doc.querySelector(`a[data-load-more="${key}"]`);
      if (next) {
        link.href = next.href;
        delete link.dataset.loading;
        wrapper.classList.remove("is-loading");
        wrapper.removeAttribute("aria-busy");
        // Observing afresh fires at once if the link is still in view (a short page).
        if (pageObserver && !("loadOnClick" in link.dataset)) {
          pageObserver.unobserve(link);
          pageObserver.observe(link);
        }
      } else {
        // The last page: its end-of-list note ("You're all caught up") takes the link's place.
        if (pageObserver) pageObserver.unobserve(link);
        const end = doc.querySelector(`[data-list-end="${key}"]`);
        if (end) wrapper.replaceWith(document.importNode(end, true));
        else wrapper.remove();
      }
      if (moveFocus && items[0]) {
        items[0].setAttribute("tabindex", "-1");
        items[0].focus();
      }
      announce(items.length ? `${items.length} more loaded` : "No more to load");
    } catch (error) {
      // Leave a plain link behind: following it loads the next page the classic way.
      link.dataset.failed = "1";
      delete link.dataset.loading;
      wrapper.classList.remove("is-loading");
      wrapper.removeAttribute("aria-busy");
      if (pageObserver) pageObserver.unobserve(link);
    }
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-load-more]");
    if (!link || link.dataset.failed || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    loadMore(link, true);
  });

  // ---- Carousel -------------------------------------------------------------------------
  function navButton(direction) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = `carousel__nav carousel__nav--${direction}`;
    button.setAttribute("aria-label", direction === "prev" ? "Previous photo" : "Next photo");
    button.append(icon(direction === "prev" ? "chevron-left" : "chevron-right", 18));
    return button;
  }

  function likeFromImage(carousel) {
    const card = carousel.closest("[data-post-card]");
    const form = card && card.querySelector('form[data-toggle="like"]');
    if (!form) return;
    if (!reducedMotion.matches) {
      const burst = document.createElement("span");
      burst.className = "carousel__burst";
      burst.append(icon("heart", 96));
      burst.addEventListener("animationend", () => burst.remove());
      carousel.append(burst);
    }
    if (form.querySelector("button").getAttribute("aria-pressed") !== "true") form.requestSubmit();
  }

  function setupCarousel(carousel) {
    if (carousel.dataset.ready) return;
    carousel.dataset.ready = "1";
    const track = carousel.querySelector(".carousel__track");
    carousel.addEventListener("dblclick", (event) => {
      if (!event.target.closest(".carousel__nav")) likeFromImage(carousel);
    });
    const slides = [...track.children];
    if (slides.length < 2) return;

    const dots = carousel.querySelectorAll(".carousel__dot");
    const indexLabel = carousel.querySelector("[data-carousel-index]");
    const prev = navButton("prev");
    const next = navButton("next");
    carousel.append(prev, next);
    let current = 0;

    const show = (index) => {
      current = index;
      dots.forEach((dot, i) => dot.classList.toggle("is-active", i === index));
      if (indexLabel) indexLabel.textContent = String(index + 1);
      prev.hidden = index === 0;
      next.hidden = index === slides.length - 1;
    };
    const go = (index) => {
      const target = Math.max(0, Math.min(slides.length - 1, index));
      track.scrollTo({ left: target * track.clientWidth, behavior: reducedMotion.matches ? "auto" : "smooth" });
    };
    prev.addEventListener("click", () => go(current - 1));
    next.addEventListener("click", () => go(current + 1));

    const seen = new IntersectionObserver((entries) => {
      entries.forEach((entry) => {
        if (entry.isIntersecting) show(slides.indexOf(entry.target));
      });
    }, { root: track, threshold: 0.6 });
    slides.forEach((slide) => seen.observe(slide));
    show(0);
  }

  // ---- Forms: character counters and image previews ------------------------------------
  function setupCounter(counter) {
    const input = document.getElementById(counter.dataset.counterFor);
    const max = Number(counter.dataset.max);
    if (!input || !max || counter.dataset.ready) return;
    counter.dataset.ready = "1";
    counter.id = counter.id || `${input.id}_counter`;
    const described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (!described.includes(counter.id)) input.setAttribute("aria-describedby", [...described, counter.id].join(" "));
    const update = () => {
      const length = input.value.length;
      counter.textContent = `${length.toLocaleString("en-US")} / ${max.toLocaleString("en-US")}`;
      counter.classList.toggle("is-over", length >= max);
    };
    input.addEventListener("input", update);
    counter.hidden = false;
    update();
  }

  function megabytes(bytes) {
    return `${(bytes / 1048576).toFixed(bytes < 10485760 ? 1 : 0)} MB`;
  }

  // <input type="file" data-preview data-max-files="10" data-max-bytes="15728640">: thumbnails
  // of the chosen files, the files that break a limit named, and the alt-text fields
  // (<… data-alt-slot="N">) shown only for the images there are.
  function setupPreview(input) {
    if (input.dataset.ready) return;
    input.dataset.ready = "1";
    const form = input.form || document;
    let list = document.querySelector(`[data-preview-list="${input.id}"]`);
    if (!list) {
      list = document.createElement("ul");
      list.className = "previews";
      list.dataset.previewList = input.id;
      (input.closest(".field") || input).after(list);
    }
    const maxFiles = Number(input.dataset.maxFiles) || Infinity;
    const maxBytes = Number(input.dataset.maxBytes) || Infinity;
    let urls = [];

    const render = () => {
      urls.forEach((url) => URL.revokeObjectURL(url));
      urls = [];
      list.replaceChildren();
      const files = [...input.files];
      const problems = [];
      if (files.length > maxFiles) problems.push(`Choose at most ${maxFiles} images; you chose ${files.length}.`);
      files.forEach((file, i) => {
        const item = document.createElement("li");
        item.className = "preview";
        const url = URL.createObjectURL(file);
        urls.push(url);
        const img = document.createElement("img");
        img.src = url;
        img.alt = `Image ${i + 1}: ${file.name}`;
        // Formats the browser can't draw (HEIC) still upload; show the name instead.
        img.addEventListener("error", () => img.replaceWith(Object.assign(document.createElement("span"), { className: "preview__error", textContent: file.name })));
        const badge = Object.assign(document.createElement("span"), { className: "preview__index", textContent: i + 1 });
        item.append(img, badge);
        if (file.size > maxBytes) {
          const message = `${file.name} is ${megabytes(file.size)}; the limit is ${megabytes(maxBytes)}.`;
          problems.push(message);
          item.classList.add("is-invalid");
          item.append(Object.assign(document.createElement("span"), { className: "preview__error", textContent: message }));
        }
        list.append(item);
      });
      input.setCustomValidity(problems.join(" "));
      if (problems.length) input.reportValidity();
      form.querySelectorAll("[data-alt-slot]").forEach((slot) => {
        const n = Number(slot.dataset.altSlot);
        slot.hidden = n > Math.max(files.length, 1);
        const thumb = slot.querySelector("[data-alt-thumb]");
        if (thumb) {
          thumb.replaceChildren();
          if (urls[n - 1]) thumb.append(Object.assign(document.createElement("img"), { src: urls[n - 1], alt: "" }));
        }
      });
    };
    input.addEventListener("change", render);
    if (input.files.length) render();
    else form.querySelectorAll("[data-alt-slot]").forEach((slot) => { slot.hidden = Number(slot.dataset.altSlot) > 1; });
  }

  // ---- Small things: messages, menus, captions, copy link -------------------------------
  function setupToast(toast) {
    if (toast.querySelector(".toast__close")) return;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "icon-button toast__close";
    close.setAttribute("aria-label", "Dismiss");
    close.append(icon("close", 18));
    close.addEventListener("click", () => {
      toast.classList.add("is-leaving");
      setTimeout(() => toast.remove(), reducedMotion.matches ? 0 : 200);
    });
    toast.append(close);
  }

  function setupCaption(caption) {
    if (caption.dataset.ready) return;
    caption.dataset.ready = "1";
    if (caption.scrollHeight <= caption.clientHeight + 2) {
      caption.classList.add("is-open");
      return;
    }
    const more = document.createElement("button");
    more.type = "button";
    more.className = "link-button caption-more";
    more.textContent = "more";
    more.addEventListener("click", () => {
      caption.classList.add("is-open");
      more.remove();
    });
    caption.after(more);
  }

  function setupCopyLink(button) {
    if (!navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", async () => {
      const url = new URL(button.dataset.copyLink, window.location.href).href;
      try {
        await navigator.clipboard.writeText(url);
        announce("Link copied");
      } catch (error) {
        window.prompt("Copy this link", url);
      }
      const menu = button.closest("details");
      if (menu) menu.open = false;
    });
  }

  // One open menu at a time; a click elsewhere or Escape closes it.
  document.addEventListener("click", (event) => {
    document.querySelectorAll("details[data-menu][open]").forEach((menu) => {
      if (!menu.contains(event.target)) menu.open = false;
    });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const menu = event.target.closest && event.target.closest("details[data-menu][open]");
    if (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });

  // ---- Sharing a post: one submission, with progress ---------------------------------------
  // Without this file the form posts as usual. With it, Share disables itself at the first
  // click (a second click can't post twice) and a progress bar follows the upload, then the
  // server's work on the photos. The answer is what the browser would have shown: the new
  // post (a redirect), or the form again with its errors.
  function setupShare(form) {
    const button = form.querySelector("button[type=submit]");
    if (!button || !window.XMLHttpRequest || !window.FormData) return;
    const status = document.createElement("div");
    status.className = "share-progress";
    status.hidden = true;
    status.setAttribute("role", "status");
    const bar = Object.assign(document.createElement("progress"), { max: 100, value: 0 });
    const label = document.createElement("span");
    status.append(bar, label);
    button.after(status);

    function show(text, percent) {
      status.hidden = false;
      label.textContent = text;
      if (percent === null) bar.removeAttribute("value");
      else bar.value = percent;
    }

    function release() {
      button.disabled = false;
      button.removeAttribute("aria-disabled");
      form.removeAttribute("aria-busy");
      status.hidden = true;
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (form.getAttribute("aria-busy") === "true") return;
      form.setAttribute("aria-busy", "true");
      button.disabled = true;
      button.setAttribute("aria-disabled", "true");
      show("Uploading… 0%", 0);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      // JSON {"url"} when shared; the form page again (HTML) when refused.
      xhr.setRequestHeader("Accept", "application/json, text/html;q=0.9");
      xhr.setRequestHeader("X-CSRFToken", csrfToken(form));
      xhr.upload.addEventListener("progress", (progress) => {
        if (!progress.lengthComputable) return;
        const percent = Math.round((progress.loaded / progress.total) * 100);
        show(`Uploading… ${percent}%`, percent);
      });
      xhr.upload.addEventListener("load", () => show("Preparing your photos…", null));
      xhr.addEventListener("load", () => {
        const type = xhr.getResponseHeader("Content-Type") || "";
        if (xhr.status === 201 && type.includes("application/json")) {
          const { url } = JSON.parse(xhr.responseText);
          show("Shared", 100);
          window.location.assign(url);
          return;
        }
        // Refused (the form with its errors, a rate limit, a size limit): show that page.
        const doc = new DOMParser().parseFromString(xhr.responseText, "text/html");
        const main = doc.querySelector("main");
        if (!main) {
          release();
          submitNatively(form);
          return;
        }
        document.title = doc.title;
        const current = document.querySelector("main");
        current.replaceWith(main);
        enhance(main);
        main.focus();
      });
      xhr.addEventListener("error", () => {
        // The network failed: let the browser try, so the person sees what happened.
        release();
        submitNatively(form);
      });
      xhr.send(new FormData(form));
    });
  }

  // ---- Wiring ---------------------------------------------------------------------------
  const SETUPS = [
    ["[data-carousel]", setupCarousel],
    ["[data-counter-for]", setupCounter],
    ["input[type=file][data-preview]", setupPreview],
    ["[data-toast]", setupToast],
    [".post__caption--long", setupCaption],
    ["[data-copy-link]", setupCopyLink],
    ["form[data-post-form]", setupShare],
  ];

  function enhance(root) {
    SETUPS.forEach(([selector, setup]) => {
      if (root.matches && root.matches(selector)) setup(root);
      root.querySelectorAll(selector).forEach(setup);
    });
  }

  enhance(document);
  // Replies stay collapsed until asked for ("View N more replies": data-load-on-click).
  document.querySelectorAll("a[data-load-more]:not([data-load-on-click])").forEach((link) => pageObserver && pageObserver.observe(link));
  window.Shutter = { enhance, announce };
})();
