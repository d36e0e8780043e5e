// The dashboard talks to the API on its own site: the session is an HttpOnly cookie the
// browser sends by itself (scripts never see it), and every write carries the CSRF token,
// which lives only in this module's memory.
const meta = (name) => (document.querySelector(`meta[name="${name}"]`) || {}).content || "";
const API = meta("api-base").replace(/\/$/, "") + "/api/v1";
export const BASE = meta("app-base") || "/seller/";
let csrf = "";

export function useCsrf(token) {
  csrf = token;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && problem.detail) || "Permintaan gagal.");
    this.status = status;
    this.problem = problem || {};
  }
  fields() {
    return Object.fromEntries((this.problem.errors || []).map((e) => [e.field, e.message]));
  }
}

export async function api(method, path, { body, form, headers = {} } = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json", ...headers } };
  if (!["GET", "HEAD"].includes(method)) init.headers["X-CSRF-Token"] = csrf;
  if (form) init.body = form;
  else if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(API + path, init);
  } catch (error) {
    throw new ApiError(0, { detail: "Tidak ada sambungan internet. Periksa sinyal, lalu coba lagi." });
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data || { detail: `Server bermasalah (kode ${response.status}). Coba lagi sebentar lagi.` });
  return data;
}

export const apiUrl = (path) => API + path;
