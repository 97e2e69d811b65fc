/* Search as you type: suggestions under every search box that says where to ask
   (`data-typeahead="<the API's search URL>"`), as an ARIA 1.2 combobox with a listbox.

   Progressive enhancement only: without this file the box is a plain GET form to /search/,
   and with it Enter still submits that form unless an option is chosen with the arrow keys.
   Asks GET <url>?q=…&limit=5 (the API's own search, same ranking as the page) once the typing
   pauses for DEBOUNCE_MS, drops answers that arrive out of order, and gives up quietly on any
   error, 429 included (the form still works). */
(() => {
  "use strict";

  const DEBOUNCE_MS = 200;
  const LIMIT = 5;
  let instances = 0;

  function avatarOf(user) {
    if (user.avatar_url) {
      const img = document.createElement("img");
      img.className = "avatar avatar--32";
      img.src = user.avatar_url;
      img.width = 32;
      img.height = 32;
      img.alt = "";
      return img;
    }
    const initial = document.createElement("span");
    initial.className = "avatar avatar--32 avatar--initial";
    initial.setAttribute("aria-hidden", "true");
    initial.textContent = user.username.slice(0, 1).toUpperCase();
    return initial;
  }

  function tagBadge() {
    const badge = document.createElement("span");
    badge.className = "avatar avatar--32 avatar--initial avatar--tag";
    badge.setAttribute("aria-hidden", "true");
    badge.textContent = "#";
    return badge;
  }

  function option(id, href, picture, name, sub) {
    const li = document.createElement("li");
    li.id = id;
    li.className = "typeahead__option";
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    li.dataset.href = href;
    const names = document.createElement("span");
    names.className = "typeahead__names";
    const main = document.createElement("span");
    main.className = "username";
    main.textContent = name;
    names.append(main);
    if (sub) {
      const small = document.createElement("span");
      small.className = "typeahead__sub";
      small.textContent = sub;
      names.append(small);
    }
    li.append(picture, names);
    return li;
  }

  function setup(input) {
    const url = input.dataset.typeahead;
    const form = input.form;
    const field = input.closest(".search-field") || input.parentElement;
    if (!url || !form || !field || input.dataset.typeaheadReady) return;
    input.dataset.typeaheadReady = "1";
    instances += 1;
    const listId = `typeahead-${instances}`;

    const list = document.createElement("ul");
    list.id = listId;
    list.className = "typeahead";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    const status = document.createElement("span");
    status.className = "visually-hidden";
    // A live region without role="status": the page's toasts are its one status.
    status.setAttribute("aria-live", "polite");
    field.append(list, status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    let timer = 0;
    let asked = 0;
    let active = -1;
    let lastQuery = "";

    const options = () => [...list.querySelectorAll("[role=option]")];

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      const all = options();
      if (!all.length) return;
      active = (index + all.length) % all.length;
      all.forEach((li, i) => li.setAttribute("aria-selected", String(i === active)));
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function show(data) {
      const users = Array.isArray(data.users) ? data.users : [];
      const tags = Array.isArray(data.hashtags) ? data.hashtags : [];
      list.replaceChildren();
      users.forEach((user, i) => {
        const sub = user.display_name || (user.is_private ? "Private account" : "");
        const href = `/u/${encodeURIComponent(user.username)}/`;
        list.append(option(`${listId}-u${i}`, href, avatarOf(user), user.username, sub));
      });
      tags.forEach((tag, i) => {
        const href = `/tags/${encodeURIComponent(tag.name)}/`;
        const sub = `${tag.post_count} post${tag.post_count === 1 ? "" : "s"}`;
        list.append(option(`${listId}-t${i}`, href, tagBadge(), `#${tag.name}`, sub));
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      const count = users.length + tags.length;
      status.textContent = count
        ? `${count} suggestion${count === 1 ? "" : "s"}, use the arrow keys to choose`
        : "";
      list.hidden = count === 0;
      input.setAttribute("aria-expanded", String(count > 0));
    }

    async function ask(query) {
      const ticket = ++asked;
      const address = new URL(url, window.location.href);
      address.search = new URLSearchParams({ q: query, limit: String(LIMIT) }).toString();
      try {
        const response = await fetch(address, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (!response.ok) throw new Error(String(response.status));
        const data = await response.json();
        // Only the answer to what is in the box now.
        if (ticket === asked && input.value.trim() === query) show(data);
      } catch {
        if (ticket === asked) close();
      }
    }

    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      const query = input.value.trim();
      if (!query || query === "@" || query === "#") {
        asked += 1;
        lastQuery = "";
        close();
        return;
      }
      if (query === lastQuery) return;
      timer = window.setTimeout(() => {
        lastQuery = query;
        ask(query);
      }, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", (event) => {
      const open = !list.hidden;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!open) return;
        event.preventDefault();
        highlight(event.key === "ArrowDown" ? active + 1 : active - 1);
      } else if (event.key === "Enter") {
        // Nothing chosen: the form submits to the search page, as without this file.
        if (open && active >= 0) {
          event.preventDefault();
          window.location.assign(options()[active].dataset.href);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      } else if (event.key === "Tab") {
        close();
      }
    });

    // mousedown, not click: the box keeps focus until the link is followed.
    list.addEventListener("mousedown", (event) => {
      const li = event.target.closest("[role=option]");
      if (!li) return;
      event.preventDefault();
      window.location.assign(li.dataset.href);
    });

    input.addEventListener("blur", close);
    input.addEventListener("focus", () => {
      if (list.children.length && input.value.trim() === lastQuery) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
    });
  }

  function start() {
    document.querySelectorAll("input[data-typeahead]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
