// What both pages share: the token, the API, the queue's order, small DOM helpers.
// Plan data only ever reaches the page through textContent and value: never parsed as markup.

export function token() {
  const meta = document.querySelector('meta[name="review-token"]');
  return meta ? meta.content : "";
}

export class ApiError extends Error {
  constructor(status, body) {
    super(`HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

// A call to the app's API with the token in the header; the JSON answer, or ApiError.
export async function api(path, options = {}) {
  const headers = { Authorization: `Bearer ${token()}`, ...(options.headers || {}) };
  const init = { ...options, headers, credentials: "same-origin" };
  if (options.json !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(options.json);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  const body = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

// The queue's order: what needs a person first (the API's priority), then by file.
export function queueOrder(plans) {
  return [...plans].sort((a, b) => (a.priority - b.priority) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

export function percent(share) {
  return share === null || share === undefined ? "" : `${Math.round(share * 100)} %`;
}

// Is the person typing in a field (single-letter keys are theirs then, not the page's)?
export function typing(event) {
  const target = event.target;
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

export function status(message, kind = "info") {
  const box = document.getElementById("status");
  if (!box) return;
  box.textContent = message;
  box.dataset.kind = kind;
}
