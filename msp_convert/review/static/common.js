// What both pages share: the API (with the page's token), small DOM helpers.
// Plan data only ever reaches the page through textContent and value: never parsed as markup.

function token() {
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
  return (await answer(path, options)).body;
}

// The same, with the answer's headers: {body, headers}.
export async function answer(path, options = {}) {
  const { json, ...rest } = options;
  const headers = { Authorization: `Bearer ${token()}`, ...(rest.headers || {}) };
  const init = { ...rest, headers, credentials: "same-origin" };
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, { error: "the review server did not answer (is it still running?)" });
  }
  const text = await response.text();
  const body = parsedBody(text, response.headers.get("content-type") || "");
  if (!response.ok) throw new ApiError(response.status, body);
  return { body, headers: response.headers };
}

// A JSON answer's data; any other answer (the guard's one-line refusals) as {error: its text}.
function parsedBody(text, type) {
  if (!text) return null;
  if (type.startsWith("application/json")) return JSON.parse(text);
  return { error: text.trim() };
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

const KEYLESS_INPUTS = new Set(["checkbox", "radio", "button", "submit", "reset"]);

// Is the person typing in a field (single-letter keys are theirs then, not the page's)?
// A tick box or a button holds no text: the page's keys work there.
export function typing(event) {
  const target = event.target;
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) return !KEYLESS_INPUTS.has(target.type);
  return target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

export function status(message, kind = "info") {
  const box = document.getElementById("status");
  if (!box) return;
  box.textContent = message;
  box.dataset.kind = kind;
}
