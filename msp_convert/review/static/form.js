// The plan as a form, built from the model's shape (GET /shape.json: every field, in the
// template's order). Every control carries data-path, the model path of what it edits
// ("outcomes[2].statement.text"); edits go straight into the plan object.
import { api, ApiError, el, status } from "./common.js";

const HIDDEN = new Set(["schema_version", "warnings"]); // warnings are listed above the form
const READ_ONLY = new Set(["source", "template", "coverage"]);
const COMPUTED = new Set(["provision[].weekly_cost_gbp"]);
const FIXED = new Set(["sections[].key"]); // the form's own name for a part: shown, not edited
const TITLES = {
  source: "Document", template: "Template", coverage: "Coverage", plan_number: "My Support Plan number",
  plan_dates: "Plan dates", child: "Child", other_plans: "Other plans in place",
  consent_signed_by: "Signed by parent/carer", profile: "Section 1a: My profile", story: "Section 1b: My story",
  family: "Section 1c: My family", parent_views: "Section 1d: My parents'/carers' views",
  needs: "Section 2: My special educational needs", health_needs: "Section 3: My health needs",
  social_care_needs: "Section 4: My social care needs", outcomes: "Section 5: Outcomes",
  provision: "Section 5: Provision", reviews: "Section 6: Reviews", appendices: "Section 7: Appendices",
  sections: "Other parts of the document", unmapped: "Text that fits no field",
  "provision[].weekly_cost_gbp": "Weekly cost (computed from resources)",
};
const NOUNS = { Outcome: "outcome", Provision: "provision row", Review: "review", Progress: "progress row",
  Section: "section", DocRef: "document", Entry: "entry", Unmapped: "item", struck: "struck fragment" };
const NO_ADDING = new Set(["unmapped"]); // text a person adds goes to a field
const NULL_TICK = "not found in the document";
const COST_WAIT = 150; // ms after the last edit of a row's resources before its cost is asked for
const COST_WAITING = "...";

export const pattern = (path) => path.replace(/\[\d+\]/g, "[]");
export const join = (path, key) => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key);
const human = (key) => { const s = String(key).replace(/_/g, " "); return s.charAt(0).toUpperCase() + s.slice(1); };

// The keys of a model path: "outcomes[2].statement" -> ["outcomes", 2, "statement"].
export function keysOf(path) {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]));
}

// [parent, key] of a model path in the plan, or null.
export function resolve(plan, path) {
  const keys = keysOf(path);
  let parent = plan;
  for (const key of keys.slice(0, -1)) {
    if (parent === null || typeof parent !== "object" || !(key in parent)) return null;
    parent = parent[key];
  }
  const last = keys[keys.length - 1];
  return parent !== null && typeof parent === "object" && last in parent ? [parent, last] : null;
}

export function newEntry(text = "") {
  return { text, withdrawn: false, struck: [], review: null, review_date: null };
}

export class PlanForm {
  // shape, labels, weekly: GET /plans/{id}/shape.json; hooks: onChange(path), onFocus(path), onRendered(), onMoved(path)
  constructor(root, { shape, labels, weekly }, hooks) {
    Object.assign(this, { root, shape, labels, weeklyByForm: weekly, hooks, costs: new Map() });
    root.addEventListener("focusin", (event) => this.focused(event));
    root.addEventListener("click", (event) => this.focused(event));
  }

  show(plan) {
    this.plan = plan;
    // Whether each row's amounts are weekly by their column: the form says, or (a form with both kinds of
    // column) the reading that gives the cost the row held as read, found when the row is first edited.
    const byForm = this.weeklyByForm;
    const read = (row) => ({ resources: structuredClone(row.resources), held: row.weekly_cost_gbp });
    this.weekly = new WeakMap(plan.provision.map((row) => [row, byForm ?? read(row)]));
    for (const state of this.costs.values()) clearTimeout(state.timer); // the plan before's rows: no more asked
    this.costs = new Map(); // provision row -> { timer, asked, waiting, pending, problem }: its cost asked of the server
    this.render();
  }

  render() {
    const scroll = this.root.scrollTop;
    const fields = this.shape.fields.filter((f) => !HIDDEN.has(f.name));
    this.root.replaceChildren(...fields.map((f) => this.field(this.plan, f.name, f.shape, f.name)));
    this.root.scrollTop = scroll;
    this.hooks.onRendered?.();
  }

  focused(event) {
    const holder = event.target instanceof Element ? event.target.closest("[data-path]") : null;
    if (holder && this.root.contains(holder)) this.hooks.onFocus(holder.dataset.path);
  }

  label(path, key) {
    const p = pattern(path);
    return this.labels[p] || TITLES[p] || human(key);
  }

  // One field of the model: the builder for its kind.
  field(parent, key, shape, path, remove = null) {
    if (READ_ONLY.has(path)) return this.readOnly(parent[key], path, key);
    if (COMPUTED.has(pattern(path))) return this.computed(parent[key], path, key);
    if (FIXED.has(pattern(path))) return this.fixed(parent[key], path, key);
    if (pattern(path) === "unmapped[]") return this.unmappedItem(parent, key, shape, path);
    return this[`build_${shape.kind}`](parent, key, shape, path, remove);
  }

  // An edit of one value: into the plan, then the page told (and a provision row's cost recomputed).
  set(parent, key, value, path) {
    parent[key] = value;
    this.changed(path);
  }

  changed(path) {
    const row = /^provision\[(\d+)\]\.resources/.exec(path);
    if (row) this.recost(this.plan.provision[Number(row[1])]);
    this.hooks.onChange(path);
  }

  // A change of structure (an item added, removed or moved): the form drawn again.
  mutate(path, change) {
    change();
    this.changed(path);
    this.render();
  }

  // --- a provision row's weekly cost: the server counts it as the reader does (POST /api/cost) ---

  // The row's resources edited: its cost shown as waiting, asked for once the edits pause; the latest answer wins.
  recost(row) {
    if (!row) return;
    const state = this.costs.get(row) ?? { timer: null, asked: 0, waiting: false, pending: null };
    this.costs.set(row, state);
    clearTimeout(state.timer);
    state.asked += 1;
    state.waiting = true;
    state.timer = setTimeout(() => this.askCost(row, state), COST_WAIT);
    this.showCost(row);
  }

  askCost(row, state) {
    state.timer = null;
    const asked = state.asked;
    const answered = (problem) => {
      if (state.asked !== asked) return;
      Object.assign(state, { waiting: false, problem });
      this.showCost(row);
      if (problem) status(`Weekly cost not recomputed (the last one is kept): ${problem}`, "warn");
    };
    state.pending = this.costOf(row)
      .then((amount) => { if (state.asked === asked) row.weekly_cost_gbp = amount; answered(null); })
      .catch((err) => answered(costProblem(err)));
    return state.pending;
  }

  async costOf(row) {
    const weekly = await this.weeklyOf(row);
    return (await api("/api/cost", { method: "POST", json: { resources: row.resources, weekly } })).weekly_cost_gbp;
  }

  weeklyOf(row) {
    const known = this.weekly.get(row);
    if (known === undefined) return this.weeklyByForm ?? false; // a row added here
    if (typeof known === "boolean" || known instanceof Promise) return known;
    const found = this.columnOf(known).catch((err) => { this.weekly.set(row, known); throw err; });
    this.weekly.set(row, found);
    return found;
  }

  // Weekly by its column when only that reading gives the cost the row held as read.
  async columnOf({ resources, held }) {
    const ask = (weekly) => api("/api/cost", { method: "POST", json: { resources, weekly } });
    const [plain, weekly] = await Promise.all([ask(false), ask(true)]);
    return plain.weekly_cost_gbp !== held && weekly.weekly_cost_gbp === held;
  }

  costShown(row) {
    return this.costs.get(row)?.waiting ? COST_WAITING : money(row.weekly_cost_gbp);
  }

  showCost(row) {
    const index = this.plan.provision.indexOf(row);
    const out = index < 0 ? null : this.root.querySelector(`output[data-path="provision[${index}].weekly_cost_gbp"]`);
    if (out) out.textContent = this.costShown(row);
  }

  // Every cost asked for answered (one still waiting for a pause asked now): a save sends what the page shows.
  // The problem of a cost that could not be counted (its last one kept), or null.
  async settled() {
    while ([...this.costs.values()].some((s) => s.waiting)) {
      for (const [row, state] of this.costs) {
        if (state.timer !== null) {
          clearTimeout(state.timer);
          this.askCost(row, state);
        }
      }
      await Promise.all([...this.costs.values()].map((s) => s.waiting && s.pending));
    }
    return [...this.costs.values()].find((s) => s.problem)?.problem ?? null;
  }

  heading(tag, path, key, remove = null, text = null) {
    const head = el(tag, { className: "field-label", text: text ?? this.label(path, key) });
    if (remove) head.append(this.removeButton(path, remove));
    return head;
  }

  removeButton(path, remove) {
    const button = el("button", { type: "button", className: "remove", "data-remove": path, text: "Remove", title: "Remove" });
    button.addEventListener("click", () => this.mutate(path, remove));
    return button;
  }

  addButton(path, noun, add) {
    const button = el("button", { type: "button", className: "add", "data-add": path, text: `Add ${noun}` });
    button.addEventListener("click", () => this.mutate(path, add));
    return button;
  }

  build_object(parent, key, shape, path, remove) {
    const value = parent[key];
    const box = el("fieldset", { className: `group kind-${shape.name}`, "data-path": path });
    box.append(this.heading("legend", path, key, remove, typeof key === "number" ? itemTitle(path, value, shape) : null));
    if (value === null) {
      box.append(this.addButton(path, "", () => { parent[key] = structuredClone(shape.new); }));
      return box;
    }
    for (const f of shape.fields) box.append(this.field(value, f.name, f.shape, join(path, f.name)));
    return box;
  }

  build_entry(parent, key, shape, path, remove) {
    const value = parent[key];
    if (value === null) {
      const none = el("div", { className: "entry entry-null", "data-path": path }, this.heading("span", path, key));
      none.append(el("span", { className: "null", text: "none" }), this.addButton(path, "text", () => { parent[key] = newEntry(); }));
      return none;
    }
    const box = el("div", { className: "entry", "data-path": path });
    if (typeof key !== "number") box.append(this.heading("div", path, key));
    box.append(this.textarea(value, "text", join(path, "text")));
    const meta = el("div", { className: "entry-meta" });
    for (const f of shape.fields.filter((f) => f.name !== "text")) meta.append(this.field(value, f.name, f.shape, join(path, f.name)));
    const drop = remove || (shape.nullable ? () => { parent[key] = null; } : null);
    if (drop) meta.append(this.removeButton(path, drop));
    box.append(meta);
    return box;
  }

  build_list(parent, key, shape, path) {
    const items = parent[key];
    const box = el("div", { className: `list list-of-${shape.item.kind}`, "data-path": path });
    box.append(this.heading("h3", path, key));
    items.forEach((_, i) => box.append(this.field(items, i, shape.item, join(path, i), () => items.splice(i, 1))));
    if (!NO_ADDING.has(path)) box.append(this.addButton(path, NOUNS[shape.item.name] || "item", () => items.push(fresh(shape.item, items))));
    return box;
  }

  build_tick(parent, key, shape, path) {
    const input = el("input", { type: "checkbox", "data-path": path, id: idOf(path) });
    const empty = el("span", { className: "null", text: NULL_TICK });
    const clear = el("button", { type: "button", className: "tick-clear", "data-clear": path, text: "unset",
      title: `Set back to "${NULL_TICK}"`, "aria-label": `Set back to ${NULL_TICK}` });
    const show = () => {
      const value = parent[key];
      Object.assign(input, { checked: value === true, indeterminate: value === null });
      input.dataset.state = String(value);
      empty.hidden = value !== null;
      clear.hidden = value === null;
    };
    input.addEventListener("change", () => { this.set(parent, key, input.checked, path); show(); });
    clear.addEventListener("click", () => { this.set(parent, key, null, path); show(); });
    show();
    const name = el("label", { for: idOf(path), text: this.label(path, key) });
    return el("div", { className: "tick", "data-field": path }, input, name, empty, clear);
  }

  build_bool(parent, key, shape, path) {
    const input = el("input", { type: "checkbox", "data-path": path, id: idOf(path) });
    input.checked = parent[key] === true;
    input.addEventListener("change", () => this.set(parent, key, input.checked, path));
    return el("span", { className: "flag" }, input, el("label", { for: idOf(path), text: this.label(path, key) }));
  }

  textarea(parent, key, path) {
    const input = el("textarea", { "data-path": path, rows: rowsFor(parent[key]), "aria-label": this.label(path, key) });
    input.value = parent[key] ?? "";
    input.addEventListener("input", () => this.set(parent, key, input.value, path));
    return input;
  }

  // A one-line value: read(string) gives what goes into the plan.
  line(parent, key, path, read, attrs = {}) {
    const input = el("input", { type: "text", "data-path": path, id: idOf(path), ...attrs });
    input.value = parent[key] ?? "";
    input.addEventListener("input", () => this.set(parent, key, read(input.value), path));
    return el("div", { className: "line" }, el("label", { for: idOf(path), text: this.label(path, key) }), input);
  }

  build_text(parent, key, shape, path) {
    if (key === "text") return this.textarea(parent, key, path);
    return this.line(parent, key, path, (v) => (v === "" && shape.nullable ? null : v));
  }

  build_date(parent, key, shape, path) {
    const read = (v) => (v.trim() === "" ? null : v.trim());
    return this.line(parent, key, path, read, { placeholder: "YYYY-MM-DD", className: "date", pattern: "\\d{4}-\\d{2}-\\d{2}" });
  }

  build_int(parent, key, shape, path) {
    const read = (v) => (v.trim() === "" ? (shape.nullable ? null : "") : /^-?\d+$/.test(v.trim()) ? Number(v) : v);
    return this.line(parent, key, path, read, { inputmode: "numeric", className: "number" });
  }

  build_number(parent, key, shape, path) {
    const read = (v) => (v.trim() === "" ? (shape.nullable ? null : "") : Number.isFinite(Number(v)) ? Number(v) : v);
    return this.line(parent, key, path, read, { inputmode: "decimal", className: "number" });
  }

  build_choice(parent, key, shape, path) {
    const select = el("select", { "data-path": path, id: idOf(path) });
    if (shape.nullable) select.append(el("option", { value: "", text: "-" }));
    for (const option of shape.options) select.append(el("option", { value: option, text: option }));
    select.value = parent[key] ?? "";
    select.addEventListener("change", () => this.set(parent, key, select.value === "" ? null : select.value, path));
    return el("span", { className: "choice" }, el("label", { for: idOf(path), text: this.label(path, key) }), select);
  }

  build_choices(parent, key, shape, path) {
    const box = el("div", { className: "choices", "data-path": path }, this.heading("span", path, key));
    for (const option of shape.options) {
      const id = idOf(`${path}.${option}`);
      const input = el("input", { type: "checkbox", id, "data-option": option });
      input.checked = parent[key].includes(option);
      input.addEventListener("change", () => {
        const kept = parent[key].filter((o) => o !== option);
        this.set(parent, key, input.checked ? [...kept, option] : kept, path);
      });
      box.append(el("span", { className: "flag" }, input, el("label", { for: id, text: human(option) })));
    }
    return box;
  }

  build_texts(parent, key, shape, path) {
    const items = parent[key];
    const box = el("div", { className: "texts", "data-path": path }, this.heading("span", path, key));
    items.forEach((_, i) => {
      const input = el("input", { type: "text", "data-path": join(path, i), "aria-label": this.label(path, key) });
      input.value = items[i];
      input.addEventListener("input", () => this.set(items, i, input.value, join(path, i)));
      box.append(el("span", { className: "text-item" }, input, this.removeButton(join(path, i), () => items.splice(i, 1))));
    });
    const add = this.addButton(path, NOUNS[key] || "text", () => items.push(""));
    add.textContent = "+";
    add.title = add.ariaLabel = `Add ${NOUNS[key] || "text"}`;
    box.append(add);
    return box;
  }

  build_rows(parent, key, shape, path) {
    const rows = parent[key];
    const table = el("table", { className: "rows", "data-path": path });
    rows.forEach((row, r) => {
      const tr = el("tr");
      row.forEach((_, c) => {
        const input = el("input", { type: "text", "data-path": `${path}[${r}][${c}]`, "aria-label": `Row ${r + 1} cell ${c + 1}` });
        input.value = row[c];
        input.addEventListener("input", () => this.set(row, c, input.value, `${path}[${r}][${c}]`));
        tr.append(el("td", {}, input));
      });
      tr.append(el("td", {}, this.removeButton(join(path, r), () => rows.splice(r, 1))));
      table.append(tr);
    });
    const width = Math.max(1, ...rows.map((row) => row.length));
    return el("div", { className: "rows-box" }, this.heading("span", path, key), table,
      this.addButton(path, "row", () => rows.push(Array(width).fill(""))));
  }

  readOnly(value, path, key) {
    const list = el("dl", { className: "read-only", "data-path": path });
    for (const [name, v] of Object.entries(value || {})) {
      list.append(el("dt", { text: human(name) }), el("dd", { "data-path": join(path, name), text: v === null ? "-" : String(v) }));
    }
    return el("fieldset", { className: "group read-only-group" }, el("legend", { text: this.label(path, key) }), list);
  }

  computed(value, path, key) {
    const row = this.plan.provision[keysOf(path)[1]];
    const out = el("output", { "data-path": path, text: row ? this.costShown(row) : money(value) });
    return el("div", { className: "line computed" }, el("span", { className: "field-label", text: this.label(path, key) }), out);
  }

  fixed(value, path, key) {
    const text = el("span", { className: "fixed", "data-path": path, text: value ?? "none (a heading the reader did not know)" });
    return el("div", { className: "line" }, el("span", { className: "field-label", text: this.label(path, key) }), text);
  }

  unmappedItem(items, i, shape, path) {
    const item = items[i];
    const box = el("fieldset", { className: "group unmapped", "data-path": path });
    box.append(this.heading("legend", path, i, () => items.splice(i, 1), `Found in: ${item.where}`));
    box.append(this.textarea(item, "text", join(path, "text")));
    const select = el("select", { "data-move": path, "aria-label": "Move to field" });
    select.append(el("option", { value: "", text: "Move to field..." }), ...this.targetOptions());
    const go = el("button", { type: "button", className: "move", "data-move": path, text: "Move" });
    go.addEventListener("click", () => select.value && this.move(i, select.value));
    box.append(el("div", { className: "unmapped-move" }, select, go));
    return box;
  }

  // Fields an unmapped text can go to: every list of entries, an empty statement, an empty line of text.
  targets() {
    const found = [];
    const walk = (value, shape, path) => {
      if (READ_ONLY.has(path) || HIDDEN.has(path) || path === "unmapped") return;
      if (shape.kind === "list" && shape.item.kind === "entry") found.push(path);
      else if (shape.kind === "entry" && value === null) found.push(path);
      else if (shape.kind === "text" && shape.nullable && !value) found.push(path);
      else if (shape.kind === "object" && value) shape.fields.forEach((f) => walk(value[f.name], f.shape, join(path, f.name)));
      else if (shape.kind === "list") value.forEach((v, i) => walk(v, shape.item, join(path, i)));
    };
    this.shape.fields.forEach((f) => walk(this.plan[f.name], f.shape, f.name));
    return found;
  }

  targetOptions() {
    const groups = new Map();
    for (const path of this.targets()) {
      const top = keysOf(path)[0];
      if (!groups.has(top)) groups.set(top, el("optgroup", { label: this.label(top, top) }));
      groups.get(top).append(el("option", { value: path, text: `${this.label(path, keysOf(path).pop())} (${path})` }));
    }
    return [...groups.values()];
  }

  // The unmapped text goes to the field, and leaves unmapped.
  move(index, target) {
    const place = resolve(this.plan, target);
    if (!place) return;
    const [parent, key] = place;
    const text = this.plan.unmapped[index].text;
    this.mutate(target, () => {
      if (Array.isArray(parent[key])) parent[key].push(newEntry(text));
      else if (parent[key] === null && this.isEntry(target)) parent[key] = newEntry(text);
      else parent[key] = text;
      this.plan.unmapped.splice(index, 1);
    });
    this.changed(`unmapped[${index}]`);
    this.hooks.onMoved?.(target);
  }

  isEntry(path) {
    let shape = { kind: "object", fields: this.shape.fields };
    for (const key of keysOf(path)) shape = typeof key === "number" ? shape.item : shape.fields.find((f) => f.name === key).shape;
    return shape.kind === "entry";
  }
}

function fresh(itemShape, items) {
  const item = structuredClone(itemShape.new);
  const next = Math.max(0, ...items.map((i) => i.number ?? i.outcome_number ?? 0)) + 1;
  if (item && typeof item === "object" && !Array.isArray(item)) {
    if ("number" in item) item.number = next;
    if ("outcome_number" in item) item.outcome_number = next;
  }
  return item;
}

function itemTitle(path, value, shape) {
  const noun = NOUNS[shape.name] || "item";
  const n = value && (value.number ?? value.outcome_number ?? value.label ?? value.heading);
  return `${human(noun)} ${n ?? keysOf(path).pop() + 1}`;
}

function costProblem(err) {
  if (!(err instanceof ApiError)) return `the page could not ask for it (${err.name})`;
  return (err.body && (err.body.error || (err.body.errors && err.body.errors[0] && err.body.errors[0].message))) || err.message;
}

export function money(value) {
  return value === null || value === undefined ? "none stated" : `£${Number(value).toFixed(2)}`;
}

function rowsFor(text) {
  const value = text || "";
  return Math.min(10, Math.max(1, value.split("\n").length + Math.floor(value.length / 70)));
}

// An element id from a model path (keys hold only letters, digits and _): "outcomes[0].number" -> "f-outcomes-0--number".
const idOf = (path) => `f-${path.replace(/\[(\d+)\]/g, "-$1").replace(/\./g, "--")}`;
