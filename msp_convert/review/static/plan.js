// The plan page: the original's pages on the left, the plan's form on the right.
// Keys: j / k next / previous plan, a approve (not while typing), Ctrl+S save, Escape leaves a field.
import { answer as fetched, api, ApiError, el, status, typing } from "./common.js";
import { PlanForm } from "./form.js";
import { PageView, parentPath } from "./pages.js";

const main = document.getElementById("plan");
const planId = main.dataset.planId;
const formRoot = document.getElementById("plan-form");
const STATES = { "": "to review", corrected: "corrected", approved: "approved" };
const NO_PAGES = { count: 0, pages: [] };
const NO_ORIGINS = { version: 1, pages: [], fields: {} };

let form = null;
let view = null;
let dirty = false;
let leaving = null; // the link a first press found unsaved changes before
let busy = false;
let edits = 0; // edits made so far: one made while a save is on its way is not lost
let etag = null; // the plan's version as read: a save over a newer one (another tab's) is refused (409)

function setDirty(value) {
  dirty = value;
  document.body.dataset.dirty = String(value);
  leaving = null;
}

function setReview(review) {
  const state = document.getElementById("review-state");
  state.dataset.review = review;
  state.textContent = STATES[review] ?? review;
}

// The element a model path is drawn in: its own, or the nearest field holding it.
function locate(path) {
  for (let p = path; p; p = parentPath(p)) {
    const found = formRoot.querySelector(`[data-path="${CSS.escape(p)}"]`);
    if (found) return found;
  }
  return null;
}

function reveal(path) {
  const target = locate(path);
  if (!target) return null;
  target.scrollIntoView({ block: "center" });
  const input = target.matches("input, textarea, select") ? target : target.querySelector("input, textarea, select");
  (input || target).focus({ preventScroll: true });
  return target;
}

function markOrigins() {
  for (const node of formRoot.querySelectorAll("[data-path]")) {
    node.classList.toggle("has-origin", view.has(node.dataset.path));
  }
}

function showOrigin(path) {
  const origin = path ? view.originOf(path) : null;
  for (const old of formRoot.querySelectorAll(".origin-shown")) old.classList.remove("origin-shown");
  if (!origin) return view.clear();
  formRoot.querySelector(`[data-path="${CSS.escape(origin.path)}"]`)?.classList.add("origin-shown");
  view.mark(origin, origin.path);
}

// --- saving and approving -------------------------------------------------------------------

function clearErrors() {
  for (const node of formRoot.querySelectorAll(".invalid")) node.classList.remove("invalid");
  for (const node of formRoot.querySelectorAll(".field-error")) node.remove();
  const box = document.getElementById("errors");
  box.replaceChildren();
  box.hidden = true;
}

function showErrors(errors) {
  const box = document.getElementById("errors");
  const list = el("ul");
  for (const { path, message } of errors) {
    const target = locate(path);
    if (target) {
      target.classList.add("invalid");
      target.after(el("div", { className: "field-error", "data-error-path": path, text: message }));
    }
    list.append(el("li", {}, goto(path, `${path}: ${message}`)));
  }
  box.replaceChildren(el("h2", { text: `Not saved: ${errors.length} problem(s)` }), list);
  box.hidden = false;
  if (errors.length) reveal(errors[0].path);
}

function goto(path, text) {
  const link = el("a", { href: "#", className: "goto", "data-goto": path, text });
  return link;
}

async function save() {
  if (busy || !form) return false;
  busy = true;
  let before = edits;
  clearErrors();
  status("Saving...");
  let answer, uncounted;
  try {
    uncounted = await form.settled(); // a weekly cost still being counted: saved as the page then shows it
    const headers = etag ? { "If-Match": etag } : {};
    before = edits;
    answer = await api(`/api/plans/${planId}`, { method: "PUT", json: form.plan, headers });
    etag = answer.etag || null;
  } catch (err) {
    if (err instanceof ApiError && err.status === 422) showErrors((err.body && err.body.errors) || []);
    status(problem(err, "Not saved"), "error");
    return false;
  } finally {
    busy = false;
  }
  setReview(answer.review);
  if (edits !== before) {
    status("Saved, but you changed more since: save again.", "warn");
    return false;
  }
  setDirty(false);
  const said = answer.changes ? `Saved: ${answer.changes} change(s).` : "Nothing changed.";
  if (await reload()) status(uncounted ? `${said} A weekly cost was not recomputed (the last one is kept): ${uncounted}` : said, uncounted ? "warn" : "ok");
  return true;
}

// The plan as saved (the server counts its coverage again), and its version.
async function readPlan() {
  const { body, headers } = await fetched(`/api/plans/${planId}`);
  etag = headers.get("etag");
  return body;
}

// The form drawn again from the plan as saved; false (and said) when it could not be read back.
async function reload() {
  try {
    form.show(await readPlan());
    return true;
  } catch (err) {
    status(problem(err, "Saved, but not read back; reload the page"), "warn");
    return false;
  }
}

async function approve() {
  if (!form || (dirty && !(await save()))) return;
  try {
    const answer = await api(`/api/plans/${planId}/approve`, { method: "POST" });
    setReview(answer.review);
    status("Approved.", "ok");
  } catch (err) {
    status(problem(err, "Not approved"), "error");
  }
}

function problem(err, what) {
  if (err instanceof ApiError && err.status === 422) return `${what}: see the problems listed above the form.`;
  if (err instanceof ApiError) return `${what}: ${(err.body && err.body.error) || err.message}`;
  return `${what}: the page could not show it (${err.name}).`;
}

async function showCheck() {
  const box = document.getElementById("findings");
  box.hidden = false;
  box.replaceChildren(el("h2", { text: "Check: working..." }));
  try {
    const result = await api(`/api/plans/${planId}/check`);
    const findings = result.findings || [];
    const list = el("ul");
    for (const f of findings) {
      list.append(el("li", { className: f.blocking ? "finding blocking" : "finding", "data-code": f.code },
        el("span", { className: "code", text: f.code }), " ", el("span", { className: "where", text: f.where }), ": ",
        el("span", { text: f.message })));
    }
    const title = `Check: ${findings.length} finding(s)${"ready" in result ? (result.ready ? ", ready" : ", not ready") : ""}`;
    box.replaceChildren(el("h2", { text: title }), list);
  } catch (err) {
    box.replaceChildren(el("h2", { text: problem(err, "Check failed") }));
  }
}

// --- moving between plans -------------------------------------------------------------------

function go(link) {
  if (!link || !link.getAttribute("href")) return;
  if (dirty && leaving !== link) {
    leaving = link;
    status("Unsaved changes: save them (Ctrl+S), or press again to leave without saving.", "warn");
    return;
  }
  setDirty(false);
  window.location.assign(link.href);
}

function onKey(event) {
  if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
    event.preventDefault();
    save();
    return;
  }
  if (typing(event)) {
    if (event.key === "Escape") event.target.blur();
    return;
  }
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const action = { j: () => go(document.getElementById("next")), k: () => go(document.getElementById("prev")), a: approve }[event.key];
  if (action) {
    event.preventDefault();
    action();
  }
}

function onGoto(event) {
  const link = event.target.closest("a.goto");
  if (!link) return;
  event.preventDefault();
  if (link.dataset.goto) reveal(link.dataset.goto);
  if (link.dataset.page) {
    const box = link.dataset.box ? link.dataset.box.trim().split(/\s+/).map(Number) : null;
    view.mark({ page: Number(link.dataset.page), box: box && box.length === 4 ? box : null }, link.dataset.goto || "");
  }
}

function wire() {
  document.getElementById("save").addEventListener("click", save);
  document.getElementById("approve").addEventListener("click", approve);
  document.getElementById("check").addEventListener("click", showCheck);
  for (const id of ["next", "prev", "queue-link"]) {
    document.getElementById(id)?.addEventListener("click", (event) => { event.preventDefault(); go(event.currentTarget); });
  }
  for (const link of document.querySelectorAll("a.download")) {
    link.addEventListener("click", (event) => {
      if (dirty) { event.preventDefault(); status("Save first: the download is the plan as saved.", "warn"); }
    });
  }
  document.addEventListener("click", onGoto);
  document.addEventListener("keydown", onKey);
  window.addEventListener("beforeunload", (event) => { if (dirty) event.preventDefault(); });
}

function edited(path) {
  edits += 1;
  setDirty(true);
  status("Unsaved changes.");
  formRoot.querySelector(`[data-error-path="${CSS.escape(path)}"]`)?.remove();
}

async function start() {
  wire();
  view = new PageView(document.getElementById("pages"), planId);
  const pages = Promise.all([
    api(`/api/plans/${planId}/pages`).catch(() => NO_PAGES), api(`/api/plans/${planId}/origins`).catch(() => NO_ORIGINS),
  ]).then(([found, origins]) => view.show(found, origins));
  const [shape, plan] = await Promise.all([api(`/plans/${planId}/shape.json`), readPlan()]);
  await pages;
  form = new PlanForm(formRoot, shape, {
    onChange: edited,
    onFocus: showOrigin,
    onRendered: markOrigins,
    onMoved: (path) => { reveal(path); status("Moved; save to keep it.", "info"); },
  });
  form.show(plan);
}

start()
  .catch((err) => {
    formRoot.replaceChildren();
    status(problem(err, "The plan could not be opened"), "error");
  })
  .finally(() => { document.body.dataset.ready = "true"; });
