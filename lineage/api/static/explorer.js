// The lineage explorer: search a node, draw its lineage (SVG from the service's `diagram`
// query), show its details, re-centre on a click, list and draw the feedback loops. Every
// request goes to this service's /graphql; nothing is loaded from anywhere else.
(function () {
  "use strict";
  const KINDS = ["SOURCE", "TOPIC", "DATASET", "JOB", "FEATURE", "MODEL", "SCHEMA"];
  const $ = (id) => document.getElementById(id);
  const state = { root: null, loop: null };

  async function gql(query, variables) {
    const headers = { "Content-Type": "application/json" };
    const token = $("token").value.trim();
    if (token) headers.Authorization = "Bearer " + token;
    const response = await fetch("/graphql", {
      method: "POST", headers: headers, body: JSON.stringify({ query: query, variables: variables || {} }),
    });
    const answer = await response.json();
    if (answer.errors && answer.errors.length) throw new Error(answer.errors[0].message);
    return answer.data;
  }

  function text(tag, content, cls) {
    const el = document.createElement(tag);
    el.textContent = content;
    if (cls) el.className = cls;
    return el;
  }

  function status(message, isError) {
    const el = $("status");
    el.textContent = message;
    el.className = isError ? "error" : "";
  }

  // -- search as you type ------------------------------------------------------------------
  let searchTimer = null;
  let searchSeq = 0;
  $("search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(search, 150);
  });

  async function search() {
    const term = $("search").value.trim();
    const seq = ++searchSeq;
    const results = $("results");
    if (!term) { results.replaceChildren(); return; }
    try {
      const data = await gql(
        "query($s: String!) { nodes(search: $s, first: 15) { nodes { id kind name } } }", { s: term });
      if (seq !== searchSeq) return;  // a newer search is under way
      results.replaceChildren(...data.nodes.nodes.map((node) => {
        const item = text("li", node.name || node.id);
        item.dataset.id = node.id;
        item.append(" ", text("small", node.id));
        item.addEventListener("click", () => select(node.id));
        return item;
      }));
      if (!data.nodes.nodes.length) results.replaceChildren(text("li", "no node matches", "empty"));
    } catch (err) { status(err.message, true); }
  }

  // -- the diagram -------------------------------------------------------------------------
  function kinds() {
    return KINDS.filter((kind) => $("kind-" + kind).checked);
  }

  async function draw() {
    const vars = { direction: $("direction").value, depth: Number($("depth").value) || 2, kinds: kinds() };
    let args = "format: SVG, legend: false, direction: $direction, depth: $depth, kinds: $kinds";
    if (state.loop !== null) { args += ", loop: $loop"; vars.loop = state.loop; }
    else { args += ", root: $root"; vars.root = state.root; }
    const types = "$direction: Direction!, $depth: Int!, $kinds: [Kind!]"
      + (state.loop !== null ? ", $loop: Int" : ", $root: ID");
    status("drawing…");
    try {
      const data = await gql("query(" + types + ") { diagram(" + args + ") { content nodes hidden } }", vars);
      const holder = $("diagram");
      const svg = new DOMParser().parseFromString(data.diagram.content, "image/svg+xml").documentElement;
      holder.replaceChildren(document.importNode(svg, true));
      holder.querySelectorAll("g.node").forEach((group) => {
        const title = group.querySelector("title");
        if (!title || title.textContent.startsWith("legend:")) return;
        group.addEventListener("click", () => select(title.textContent));
      });
      const what = state.loop !== null ? "feedback loop " + state.loop : state.root;
      status(what + ": " + data.diagram.nodes + " boxes" + (data.diagram.hidden ? " (" + data.diagram.hidden + ")" : ""));
    } catch (err) { status(err.message, true); }
  }

  async function select(id) {
    state.root = id;
    state.loop = null;
    await Promise.all([draw(), details(id)]);
  }

  // -- details -----------------------------------------------------------------------------
  const NODE = `query($id: ID!) { node(id: $id) {
      id kind name mode aliases lastUpdated freshness { text seconds }
      origins { origin location }
      inputs(types: [FEEDS]) { sourceId role label }
      outputs(types: [FEEDS]) { targetId role label } } }`;

  async function details(id) {
    const panel = $("details");
    try {
      const node = (await gql(NODE, { id: id })).node;
      if (!node) { panel.replaceChildren(text("p", "no node " + id, "error")); return; }
      const facts = document.createElement("dl");
      const rows = [["id", node.id], ["kind", node.kind], ["name", node.name], ["mode", node.mode],
        ["freshness", node.freshness ? node.freshness.text : "-"],
        ["last updated", node.lastUpdated || "-"], ["aliases", node.aliases.join(", ") || "-"]];
      rows.forEach(([key, value]) => facts.append(text("dt", key), text("dd", value)));
      const origins = document.createElement("ul");
      node.origins.forEach((o) => origins.append(text("li", o.location || o.origin)));
      panel.replaceChildren(text("h2", node.name || node.id), facts, text("h2", "origins"), origins,
        text("h2", "inputs (" + node.inputs.length + ")"), links(node.inputs.map((e) => e.sourceId)),
        text("h2", "outputs (" + node.outputs.length + ")"), links(node.outputs.map((e) => e.targetId)));
    } catch (err) { panel.replaceChildren(text("p", err.message, "error")); }
  }

  function links(ids) {
    const list = document.createElement("ul");
    ids.forEach((id) => {
      const item = document.createElement("li");
      const link = text("a", id);
      link.addEventListener("click", () => select(id));
      item.append(link);
      list.append(item);
    });
    return list;
  }

  // -- loops -------------------------------------------------------------------------------
  async function loops() {
    try {
      const data = await gql("{ feedbackLoops(maxCycles: 1) { kind nodeIds modelIds } }");
      $("loops").replaceChildren(...data.feedbackLoops.map((loop, index) => {
        const names = loop.modelIds.length ? loop.modelIds.join(", ") : loop.nodeIds.slice(0, 3).join(", ");
        const item = text("li", loop.kind.toLowerCase() + ": " + names + " (" + loop.nodeIds.length + " nodes)");
        item.addEventListener("click", () => { state.loop = index + 1; state.root = null; draw(); });
        return item;
      }));
    } catch (err) { $("loops").replaceChildren(text("li", err.message, "error")); }
  }

  // -- start -------------------------------------------------------------------------------
  KINDS.forEach((kind) => {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox"; box.id = "kind-" + kind; box.checked = true;
    box.addEventListener("change", () => { if (state.root || state.loop) draw(); });
    label.append(box, " " + kind.toLowerCase());
    $("kinds").append(label);
  });
  ["direction", "depth"].forEach((id) => $(id).addEventListener("change", () => { if (state.root) draw(); }));
  const wanted = new URLSearchParams(window.location.search).get("node");
  if (wanted) select(wanted);
  loops();
})();
