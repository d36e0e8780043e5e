// The reference data the forms choose from (categories, kecamatan and kelurahan, statuses),
// built into the dashboard from the city's own lists.
import { BASE } from "./api.js";
import { el } from "./ui.js";

let loaded = null;

export function reference() {
  loaded = loaded || fetch(`${BASE}data/referensi.json`).then((r) => r.json());
  return loaded;
}

// A kecamatan select and its kelurahan select, kept in step.
export async function placeSelects(kecamatan, kelurahan, { kecamatanCode = "", kelurahanCode = "" } = {}) {
  const data = await reference();
  kecamatan.replaceChildren(el("option", { value: "" }, "Pilih kecamatan"),
    ...data.kecamatan.map((k) => el("option", { value: k.code, selected: k.code === kecamatanCode }, k.name)));
  const fill = (chosen) => {
    const kec = data.kecamatan.find((k) => k.code === kecamatan.value);
    kelurahan.replaceChildren(el("option", { value: "" }, "Pilih kelurahan"),
      ...(kec ? kec.kelurahan.map((k) => el("option", { value: k.code, selected: k.code === chosen }, k.name)) : []));
  };
  fill(kelurahanCode);
  kecamatan.addEventListener("change", () => fill(""));
}
