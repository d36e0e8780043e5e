// One way to call the API and read its answers: JSON in and out, RFC 9457 problems turned into
// an ApiError whose fields() map errors[].field to their messages, and a dropped connection
// said as such (status 0), so that a page can tell "try again" from "fix this".
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

export async function request(url, init) {
  let response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new ApiError(0, { title: "Tidak ada koneksi", detail: "Sambungan internet terputus. Periksa sinyal Anda, lalu coba lagi." });
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    throw new ApiError(response.status, data || { detail: `Server sedang bermasalah (kode ${response.status}). Coba lagi sebentar lagi.` });
  }
  return data;
}

// The API's address, a build setting in <meta name="api-base"> ("" is this site's own).
export function apiRoot() {
  const meta = document.querySelector('meta[name="api-base"]');
  return ((meta && meta.content) || "").replace(/\/$/, "") + "/api/v1";
}
