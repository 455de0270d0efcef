// cmhub's search page: queries the Pagefind index of this site (pagefind/), as the reader types.
// Loaded by search.html only; it fetches nothing but this site's files.
const form = document.querySelector(".search");
const input = form.querySelector(".search__input");
const filterBox = form.querySelector(".search__filters");
const status = document.querySelector(".search__status");
const list = document.querySelector(".search__results");
const words = JSON.parse(document.getElementById("search-strings").textContent);
const FILTERS = ["tag", "category", "author", "language"];
const SHOWN = 30;

function languageName(code) {
  try {
    return new Intl.DisplayNames([words.lang], { type: "language" }).of(code) || code;
  } catch {
    return code;
  }
}

function element(tag, attributes = {}, text = "") {
  const made = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) made.setAttribute(name, value);
  if (text) made.textContent = text;
  return made;
}

function addFilters(available) {
  const selects = [];
  for (const name of FILTERS) {
    const values = Object.keys(available[name] || {}).sort((a, b) => a.localeCompare(b, words.lang));
    if (values.length < 2) continue; // nothing to choose between
    const id = `search-filter-${name}`;
    const wrap = element("div", { class: "search__filter" });
    wrap.append(element("label", { for: id }, words.filters[name]));
    const select = element("select", { id, name });
    select.append(element("option", { value: "" }, words.any));
    for (const value of values) {
      const label = name === "language" ? languageName(value) : value;
      select.append(element("option", { value }, `${label} (${available[name][value]})`));
    }
    wrap.append(select);
    filterBox.append(wrap);
    selects.push(select);
  }
  filterBox.hidden = selects.length === 0;
  return selects;
}

function result(data) {
  const item = element("li", { class: "search__result" });
  const heading = element("h2", { class: "search__title" });
  heading.append(element("a", { href: data.url }, data.meta.title || data.url));
  item.append(heading);
  if (data.meta.date) item.append(element("p", { class: "meta" }, data.meta.date));
  const excerpt = element("p", { class: "search__excerpt" });
  excerpt.innerHTML = data.excerpt; // Pagefind's excerpt: the page's own text, escaped, with <mark>
  item.append(excerpt);
  return item;
}

// The index is split by period of publication (pagefind/shards.json, newest first): the newest
// period's index is loaded, the others are merged into it, each tagged with a "shard" filter.
async function loadIndex(bundle, options) {
  const pagefind = await import(`${bundle}pagefind.js`);
  const listed = await fetch(`${bundle}shards.json`).then((r) => (r.ok ? r.json() : { shards: [] }));
  const shards = listed.shards || [];
  await pagefind.options(options);
  await pagefind.init();
  if (shards.length > 1) {
    await pagefind.options({ mergeFilter: { shard: shards[0] } });
    for (const shard of shards.slice(1)) {
      await pagefind.mergeIndex(`${bundle}${shard}/`, { ...options, mergeFilter: { shard } });
    }
  }
  return { pagefind, shards };
}

// Sorted by date, each index ranks its own pages: the periods are read newest first until enough are found.
async function byDate(pagefind, shards, filters, isCurrent) {
  const sort = { date: "desc" };
  if (shards.length < 2) return pagefind.debouncedSearch(null, { filters, sort }, 150);
  const all = await pagefind.debouncedSearch(null, { filters }, 150);
  if (all === null) return null;
  const results = [];
  for (const shard of shards) {
    if (results.length >= SHOWN || !isCurrent()) break;
    const part = await pagefind.search(null, { filters: { ...filters, shard }, sort });
    results.push(...part.results);
  }
  return { results, count: all.results.length };
}

async function start() {
  status.textContent = words.loading;
  const { pagefind, shards } = await loadIndex(form.dataset.bundle, { baseUrl: form.dataset.base, excerptLength: 24 });
  const selects = addFilters(await pagefind.filters());
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  for (const select of selects) select.value = params.get(select.name) || "";
  status.textContent = "";

  let asked = 0;
  async function run() {
    const term = input.value.trim();
    const chosen = {};
    for (const select of selects) if (select.value) chosen[select.name] = select.value;
    const query = new URLSearchParams(term ? { q: term, ...chosen } : chosen).toString();
    history.replaceState(null, "", query ? `?${query}` : location.pathname);
    if (!term && Object.keys(chosen).length === 0) {
      list.replaceChildren();
      status.textContent = "";
      return;
    }
    const mine = ++asked;
    const search = term ? await pagefind.debouncedSearch(term, { filters: chosen }, 150)
      : await byDate(pagefind, shards, chosen, () => mine === asked);
    if (search === null || mine !== asked) return; // a newer keystroke took over
    const found = await Promise.all(search.results.slice(0, SHOWN).map((r) => r.data()));
    if (mine !== asked) return;
    list.replaceChildren(...found.map(result));
    const count = search.count ?? search.results.length;
    status.textContent = count === 0 ? words.none : count === 1 ? words.one : words.many.replace("{count}", count);
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  input.addEventListener("input", run);
  for (const select of selects) select.addEventListener("change", run);
  if (input.value || selects.some((s) => s.value)) run();
}

// Pagefind (its script, its wasm module, the filters) loads once the page is shown, not before.
function begin() {
  start().catch(() => { status.textContent = words.failed; });
}
if (document.readyState === "complete") begin();
else addEventListener("load", begin, { once: true });
