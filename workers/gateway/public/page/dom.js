// Building the page's elements. Everything a user wrote reaches the DOM through text nodes
// (document.createTextNode, textContent), never through HTML parsing: a reply holding
// <img onerror=...> shows as those characters. The CSP's Trusted Types rule makes innerHTML throw
// anyway, so a slip here fails loudly instead of running someone's script.

/**
 * An element with attributes and children; a string child becomes a text node.
 * @param {string} tag
 * @param {Record<string, string | boolean | undefined>} [attributes] `true` sets an empty attribute, `false`/`undefined` none
 * @param {...(Node | string | null | undefined)} children
 * @returns {HTMLElement}
 */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

/**
 * The element with `id`; throws when the markup lacks it (a mistake in index.html, not in data).
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element;
}

/**
 * Sets a status line's text, and its kind for styling (`data-kind`: ok, error or busy).
 * @param {HTMLElement} element
 * @param {string} text
 * @param {"ok" | "error" | "busy" | ""} [kind]
 */
export function setStatus(element, text, kind = "") {
  element.textContent = text;
  element.dataset.kind = kind;
}

/**
 * A time as the reader's locale writes it, in a <time> element carrying the ISO string.
 * @param {string} iso
 */
export function timeElement(iso) {
  const date = new Date(iso);
  const text = Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  return el("time", { datetime: iso }, text);
}
