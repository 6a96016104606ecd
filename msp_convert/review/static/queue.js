// The queue: the server draws every plan's row (in priority order); this filters them and
// moves through them by keyboard: j / k or the arrows for next / previous, Enter to open.
import { typing } from "./common.js";

const rows = [...document.querySelectorAll("#queue tbody tr.plan-row")];
const filters = {
  verdict: document.getElementById("filter-verdict"),
  warning: document.getElementById("filter-warning"),
  review: document.getElementById("filter-review"),
};
let selected = -1; // index into the rows shown

function matches(row) {
  const { verdict, warning, review } = Object.fromEntries(Object.entries(filters).map(([k, s]) => [k, s.value]));
  const codes = row.dataset.codes ? row.dataset.codes.split(" ") : [];
  return (!verdict || row.dataset.verdict === verdict)
    && (!warning || codes.includes(warning))
    && (!review || row.dataset.review === (review === "none" ? "" : review));
}

const shown = () => rows.filter((row) => !row.hidden);

function applyFilters() {
  for (const row of rows) row.hidden = !matches(row);
  const count = shown().length;
  document.getElementById("shown-count").textContent = count === rows.length ? "" : `${count} of ${rows.length} shown`;
  const query = new URLSearchParams(Object.entries(filters).filter(([, s]) => s.value).map(([k, s]) => [k, s.value]));
  history.replaceState(null, "", query.toString() ? `?${query}` : window.location.pathname);
  select(Math.min(Math.max(selected, 0), count - 1));
}

function select(index) {
  const list = shown();
  for (const row of rows) row.classList.remove("selected");
  for (const row of rows) row.setAttribute("aria-selected", "false");
  selected = list.length ? Math.max(0, Math.min(index, list.length - 1)) : -1;
  if (selected < 0) return;
  const row = list[selected];
  row.classList.add("selected");
  row.setAttribute("aria-selected", "true");
  row.scrollIntoView({ block: "nearest" });
}

function open() {
  const row = shown()[selected];
  const link = row && row.querySelector("a.open");
  if (link) window.location.assign(link.href);
}

function onKey(event) {
  if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key === "Enter" && event.target instanceof Element && event.target.closest("a, button")) return; // theirs
  const action = {
    j: () => select(selected + 1), ArrowDown: () => select(selected + 1),
    k: () => select(selected - 1), ArrowUp: () => select(selected - 1),
    Enter: open,
  }[event.key];
  if (action) {
    event.preventDefault();
    action();
  }
}

function start() {
  const query = new URLSearchParams(window.location.search);
  for (const [name, box] of Object.entries(filters)) {
    if (query.get(name) && [...box.options].some((o) => o.value === query.get(name))) box.value = query.get(name);
    box.addEventListener("change", () => { applyFilters(); box.blur(); });
  }
  rows.forEach((row) => row.addEventListener("click", (event) => {
    if (event.target.closest("a")) return;
    select(shown().indexOf(row));
  }));
  document.addEventListener("keydown", onKey);
  applyFilters();
  select(0);
  document.body.dataset.ready = "true";
}

start();
