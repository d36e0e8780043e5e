// Talking to the Behambinan API. Its address is a build setting, in <meta name="api-base">
// (empty: the same origin as the storefront). No cookies are sent: the storefront has no
// session; an order's secret token travels in the X-Order-Token header only.
const meta = document.querySelector('meta[name="api-base"]');
const BASE = ((meta && meta.content) || "").replace(/\/$/, "") + "/api/v1";

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && problem.detail) || "Permintaan gagal.");
    this.status = status;
    this.problem = problem || {};
  }
  // errors[].field -> message, for showing each next to its field
  fields() {
    const out = {};
    for (const e of this.problem.errors || []) out[e.field] = e.message;
    return out;
  }
}

export async function api(method, path, { body, headers = {} } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers }, credentials: "omit" };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(BASE + path, init);
  } catch (error) {
    throw new ApiError(0, { title: "Tidak ada koneksi", detail: "Sambungan internet terputus. Periksa sinyal Anda, lalu coba lagi." });
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(response.status, data || { detail: `Server sedang bermasalah (kode ${response.status}). Coba lagi sebentar lagi.` });
  }
  return data;
}
