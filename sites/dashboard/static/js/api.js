// The dashboard talks to the API on its own site: the session is an HttpOnly cookie the
// browser sends by itself (scripts never see it), and every write carries the CSRF token,
// which lives only in this module's memory.
import { ApiError, apiRoot, request } from "./http.js";

export { ApiError };
const API = apiRoot();
export const BASE = (document.querySelector('meta[name="app-base"]') || {}).content || "/seller/";
let csrf = "";

export function useCsrf(token) {
  csrf = token;
}

export function api(method, path, { body, form, headers = {} } = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json", ...headers } };
  if (!["GET", "HEAD"].includes(method)) init.headers["X-CSRF-Token"] = csrf;
  if (form) init.body = form;
  else if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  return request(API + path, init);
}

export const apiUrl = (path) => API + path;
