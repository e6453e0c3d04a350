// A searchable multi-select combobox that enhances a plain list of checkboxes (WAI-ARIA 1.2
// combobox pattern with a listbox popup, as in the APG "list autocomplete" example).
//
// The server renders, inside an element with [data-combobox]:
//   - a list of <input type="checkbox"> with <label>s, each in an element with data-search="words"
//     (folded synonyms in both languages), inside [data-combobox-list] (a <details> without JS);
//   - [data-combobox-chosen]: the "Gekozen: ..." line for readers without JavaScript;
//   - the texts this script shows, as data-text-* attributes (so they come from the translations).
// The checkboxes stay the form's fields: this script only ticks and unticks them, so the form posts
// exactly what it posts without JavaScript and every server-side check still applies.
//
// Keys in the text box: typing filters; ArrowDown/ArrowUp open the list and move through it;
// Alt+ArrowDown opens it; Enter chooses (or un-chooses) the highlighted option; Escape closes the
// list, a second Escape empties the text box. Chosen items show as buttons ("Bakker verwijderen").
(function () {
  "use strict";

  function fold(text) {
    return (text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
  }

  function fill(template, values) {
    return (template || "").replace(/%\((\w+)\)s/g, function (_m, key) { return values[key] !== undefined ? values[key] : ""; });
  }

  function enhance(root, index) {
    var boxes = Array.prototype.slice.call(root.querySelectorAll("input[type=checkbox]"));
    if (!boxes.length || root.hasAttribute("data-combobox-ready")) { return; }
    root.setAttribute("data-combobox-ready", "");
    var text = function (name) { return root.getAttribute("data-text-" + name) || ""; };
    var baseId = (root.id || "combobox-" + index);

    var items = boxes.map(function (box, i) {
      var label = box.id ? root.querySelector("label[for='" + box.id + "']") : null;
      var holder = box.closest("[data-search]");
      var name = label ? label.textContent.trim() : box.value;
      return {
        box: box, name: name, kind: holder ? holder.getAttribute("data-kind") || "" : "",
        haystack: fold(name) + " | " + fold(holder ? holder.getAttribute("data-search") : ""),
        id: baseId + "-option-" + i, element: null
      };
    });

    // --- the widget ---------------------------------------------------------------------------
    var widget = document.createElement("div");
    widget.className = "combobox";

    var label = document.createElement("label");
    label.className = "utrecht-form-label combobox__label";
    label.setAttribute("for", baseId + "-input");
    label.textContent = text("search");

    var control = document.createElement("div");
    control.className = "combobox__control";
    var input = document.createElement("input");
    input.type = "text";
    input.id = baseId + "-input";
    input.className = "utrecht-textbox utrecht-textbox--html-input form-input combobox__input";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", baseId + "-listbox");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("spellcheck", "false");
    var described = root.getAttribute("data-describedby");
    if (described) { input.setAttribute("aria-describedby", described); }
    if (root.hasAttribute("data-invalid")) { input.setAttribute("aria-invalid", "true"); }

    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "combobox__toggle";
    toggle.tabIndex = -1;
    toggle.setAttribute("aria-label", text("open"));
    toggle.setAttribute("aria-expanded", "false");
    toggle.setAttribute("aria-controls", baseId + "-listbox");
    control.appendChild(input);
    control.appendChild(toggle);

    var listbox = document.createElement("ul");
    listbox.id = baseId + "-listbox";
    listbox.className = "combobox__listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-multiselectable", "true");
    listbox.setAttribute("aria-label", root.getAttribute("data-label") || text("search"));
    listbox.hidden = true;
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.id = item.id;
      li.className = "combobox__option";
      li.setAttribute("role", "option");
      var name = document.createElement("span");
      name.className = "combobox__option-name";
      name.textContent = item.name;
      li.appendChild(name);
      if (item.kind) {
        var kind = document.createElement("span");
        kind.className = "combobox__option-kind";
        kind.textContent = " · " + item.kind;
        li.appendChild(kind);
      }
      li.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep focus in the box
      li.addEventListener("click", function () { choose(item); input.focus(); });
      item.element = li;
      listbox.appendChild(li);
    });

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    status.setAttribute("aria-atomic", "true");

    var chips = document.createElement("ul");
    chips.className = "combobox__chips";
    chips.setAttribute("aria-label", text("chosen"));

    widget.appendChild(label);
    widget.appendChild(control);
    widget.appendChild(listbox);
    widget.appendChild(status);
    widget.appendChild(chips);

    var list = root.querySelector("[data-combobox-list]");
    var chosenLine = root.querySelector("[data-combobox-chosen]");
    if (list) { list.hidden = true; }
    if (chosenLine) { chosenLine.hidden = true; }
    root.insertBefore(widget, list || null);
    root.classList.add("combobox-field--enhanced");

    // --- state ---------------------------------------------------------------------------------
    var visible = items.slice();
    var active = -1;

    function isOpen() { return !listbox.hidden; }

    function setActive(position) {
      if (active >= 0 && visible[active]) { visible[active].element.classList.remove("combobox__option--active"); }
      active = position;
      if (active >= 0 && visible[active]) {
        var element = visible[active].element;
        element.classList.add("combobox__option--active");
        input.setAttribute("aria-activedescendant", element.id);
        element.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function announceCount() {
      var n = visible.length;
      status.textContent = n === 0 ? text("none") : fill(n === 1 ? text("one") : text("many"), { n: n });
    }

    function filter(quiet) {
      var query = fold(input.value);
      setActive(-1);
      visible = [];
      items.forEach(function (item) {
        var match = !query || item.haystack.indexOf(query) !== -1;
        item.element.hidden = !match;
        if (match) { visible.push(item); }
      });
      if (!quiet) { announceCount(); }
    }

    function open() {
      if (isOpen()) { return; }
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      toggle.setAttribute("aria-expanded", "true");
      announceCount();
    }

    function close() {
      setActive(-1);
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      toggle.setAttribute("aria-expanded", "false");
    }

    function renderChosen() {
      chips.textContent = "";
      items.forEach(function (item) {
        item.element.setAttribute("aria-selected", item.box.checked ? "true" : "false");
        if (!item.box.checked) { return; }
        var li = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "combobox__chip";
        button.setAttribute("aria-label", fill(text("remove"), { name: item.name }));
        var name = document.createElement("span");
        name.textContent = item.name;
        var cross = document.createElement("span");
        cross.className = "combobox__chip-cross";
        cross.setAttribute("aria-hidden", "true");
        cross.textContent = "×";
        button.appendChild(name);
        button.appendChild(cross);
        button.addEventListener("click", function () { unchoose(item, li); });
        li.appendChild(button);
        chips.appendChild(li);
      });
      chips.hidden = !chips.children.length;
    }

    function changed(item) {
      item.box.dispatchEvent(new Event("change", { bubbles: true }));
      renderChosen();
    }

    function choose(item) {
      item.box.checked = !item.box.checked;
      status.textContent = fill(item.box.checked ? text("added") : text("removed"), { name: item.name });
      changed(item);
    }

    function unchoose(item, chip) {
      var next = chip.nextElementSibling || chip.previousElementSibling;
      var nextIndex = next ? Array.prototype.indexOf.call(chips.children, next) : -1;
      item.box.checked = false;
      changed(item);
      status.textContent = fill(text("removed"), { name: item.name });
      var buttons = chips.querySelectorAll("button");
      if (nextIndex >= 0 && buttons.length) {
        buttons[Math.min(nextIndex, buttons.length - 1)].focus();
      } else {
        input.focus();
      }
    }

    // --- events --------------------------------------------------------------------------------
    input.addEventListener("input", function () { filter(); open(); });
    input.addEventListener("click", function () { if (isOpen()) { close(); } else { open(); } });
    toggle.addEventListener("mousedown", function (event) { event.preventDefault(); });
    toggle.addEventListener("click", function () {
      if (isOpen()) { close(); } else { open(); }
      input.focus();
    });
    input.addEventListener("keydown", function (event) {
      switch (event.key) {
        case "ArrowDown":
          event.preventDefault();
          if (!isOpen()) { open(); if (event.altKey) { return; } }
          if (visible.length) { setActive(active + 1 < visible.length ? active + 1 : 0); }
          break;
        case "ArrowUp":
          event.preventDefault();
          if (!isOpen()) { open(); }
          if (visible.length) { setActive(active > 0 ? active - 1 : visible.length - 1); }
          break;
        case "Enter":
          event.preventDefault();  // never submit the whole form from here
          if (isOpen() && active >= 0 && visible[active]) {
            var picked = visible[active];
            input.value = "";
            filter(true);
            close();
            choose(picked);  // announced after the list closed: "Bakker gekozen"
          }
          break;
        case "Escape":
          if (isOpen()) {
            event.preventDefault();
            close();
          } else if (input.value) {
            event.preventDefault();
            input.value = "";
            filter();
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });
    widget.addEventListener("focusout", function (event) {
      if (!widget.contains(event.relatedTarget)) { close(); }
    });
    boxes.forEach(function (box) { box.addEventListener("change", renderChosen); });

    filter(true);
    renderChosen();
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-combobox]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
