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

async function start() {
  status.textContent = words.loading;
  const pagefind = await import(`${form.dataset.bundle}pagefind.js`);
  await pagefind.options({ baseUrl: form.dataset.base, excerptLength: 24 });
  await pagefind.init();
  const selects = addFilters(await pagefind.filters());
  const params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  for (const select of selects) select.value = params.get(select.name) || "";
  status.textContent = "";

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
    const search = await pagefind.debouncedSearch(term || null, { filters: chosen, sort: term ? {} : { date: "desc" } }, 150);
    if (search === null) return; // a newer keystroke took over
    const found = await Promise.all(search.results.slice(0, SHOWN).map((r) => r.data()));
    list.replaceChildren(...found.map(result));
    const count = search.results.length;
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
