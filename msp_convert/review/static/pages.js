// The original's pages as images, and where a field came from marked on them.
// Boxes are PDF points from the page's top left ([x0, top, x1, bottom]); they are drawn as
// shares of the page's width and height, so they sit right at any size of the image.
import { el } from "./common.js";

export class PageView {
  constructor(root, planId) {
    this.root = root;
    this.planId = planId;
    this.sizes = new Map(); // page number -> {width, height} in points
    this.highlight = el("div", { id: "highlight", className: "highlight", hidden: true });
  }

  // pages: GET /api/plans/{id}/pages; origins: GET /api/plans/{id}/origins
  show(pages, origins) {
    this.origins = origins.fields || {};
    for (const page of pages.pages || []) this.sizes.set(page.number, page);
    for (const page of origins.pages || []) this.sizes.set(page.number, page); // the boxes' own sizes win
    if (!pages.count) {
      this.root.replaceChildren(el("p", { className: "no-pages", text: pages.problem || "No page images for this plan." }));
      return;
    }
    this.root.replaceChildren(...(pages.pages || []).map((page) => this.pageBox(page)));
  }

  pageBox(page) {
    const img = el("img", { src: `/api/plans/${encodeURIComponent(this.planId)}/pages/${page.number}.png`,
      alt: `Page ${page.number} of the original`, loading: "lazy", decoding: "async" });
    const box = el("div", { className: "page", "data-page": page.number, id: `page-${page.number}` }, img);
    if (page.width && page.height) box.style.aspectRatio = `${page.width} / ${page.height}`;
    return box;
  }

  // The origin of a model path: its own, or the nearest field holding it that has one.
  originOf(path) {
    for (let p = path; p; p = parentPath(p)) {
      if (this.origins[p]) return { path: p, ...this.origins[p] };
    }
    return null;
  }

  has(path) {
    return Boolean(this.origins[path]);
  }

  // Mark a place on a page (page number, box in points); false when it cannot be shown.
  mark(place, path = "") {
    const page = this.root.querySelector(`.page[data-page="${Number(place.page)}"]`);
    const size = this.sizes.get(Number(place.page));
    if (!page) return false;
    if (place.box && size) this.place(place.box, size);
    else Object.assign(this.highlight.style, { left: "0", top: "0", width: "100%", height: "100%" });
    Object.assign(this.highlight.dataset, { page: String(place.page), path });
    this.highlight.hidden = false;
    page.append(this.highlight);
    this.highlight.scrollIntoView({ block: "center", inline: "nearest" });
    return true;
  }

  place([x0, top, x1, bottom], size) {
    const share = (v, whole) => `${Math.max(0, Math.min(100, (v / whole) * 100))}%`;
    Object.assign(this.highlight.style, {
      left: share(x0, size.width), top: share(top, size.height),
      width: share(x1 - x0, size.width), height: share(bottom - top, size.height),
    });
  }

  clear() {
    this.highlight.hidden = true;
  }
}

// "outcomes[2].statement.text" -> "outcomes[2].statement" -> "outcomes[2]" -> "outcomes" -> "".
export function parentPath(path) {
  const up = path.replace(/(?:\.[^.[\]]+|\[\d+\])$/, "");
  return up === path ? "" : up;
}
