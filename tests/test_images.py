"""Product pictures: decoded and checked, EXIF stripped, resized, stored through the storage
interface (a local folder, and a real S3 server)."""

from __future__ import annotations

import io
import uuid

import boto3
import pytest
from PIL import Image

from tests.helpers import png_bytes
from tests.s3server import seaweedfs  # noqa: F401  (fixture)


def _photo_with_gps_exif() -> bytes:
    img = Image.new("RGB", (1600, 1200), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotate 90 CW when displayed
    gps = {1: "S", 2: (0.0, 30.0, 0.0), 3: "E", 4: (117.0, 9.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _upload(api, token, store_id, product_id, data: bytes, name="foto.jpg"):
    return api.call("POST", f"/api/v1/stores/{store_id}/products/{product_id}/images", token=token,
                    data={"file": (io.BytesIO(data), name), "alt": "Foto produk"})


def _fetch(api, url: str) -> bytes:
    response = api.call("GET", url)
    assert response.status_code == 200
    return response.data


def test_upload_strips_exif_applies_rotation_and_makes_widths(api):
    token, store = api.seller_with_store()
    product = api.add_product(token, store["id"])
    response = _upload(api, token, store["id"], product["id"], _photo_with_gps_exif())
    assert response.status_code == 201, response.json
    image = response.json
    # rotated by the EXIF orientation: the 1600x1200 landscape is a 1200x1600 portrait
    assert (image["width"], image["height"]) == (1200, 1600)
    assert [s["width"] for s in image["sizes"]] == [160, 480, 960]
    for size in image["sizes"]:
        data = _fetch(api, size["url"])
        with Image.open(io.BytesIO(data)) as rendition:
            assert rendition.format == "WEBP"
            assert rendition.size == (size["width"], size["width"] * 4 // 3)
            assert not rendition.getexif(), "EXIF must not survive"
        assert b"PhoneMaker" not in data
    detail = api.call("GET", f"/api/v1/products/{product['id']}").json
    assert detail["images"][0]["id"] == image["id"]
    assert detail["image"]["url"] == image["url"]


def test_media_serves_product_pictures_only(api, app):
    storage = app.extensions["smartcity"].storage
    storage.put("signatures/ab/ab12.pdf", b"%PDF-1.7 surat", content_type="application/pdf")
    storage.put("products/ab/ab12/160.webp", b"RIFF", content_type="image/webp")
    assert api.call("GET", "/media/products/ab/ab12/160.webp").status_code == 200
    for key in ("signatures/ab/ab12.pdf", "products/../signatures/ab/ab12.pdf"):
        response = api.call("GET", f"/media/{key}")
        assert response.status_code == 404 and b"surat" not in response.data, key


def test_small_image_is_not_upscaled(api):
    token, store = api.seller_with_store()
    product = api.add_product(token, store["id"])
    response = _upload(api, token, store["id"], product["id"], png_bytes((100, 80)), "kecil.png")
    assert response.status_code == 201
    assert [s["width"] for s in response.json["sizes"]] == [160]
    with Image.open(io.BytesIO(_fetch(api, response.json["url"]))) as img:
        assert img.size == (100, 80)


def test_transparent_png_keeps_alpha_and_webp_input_is_accepted(api):
    token, store = api.seller_with_store()
    product = api.add_product(token, store["id"])
    out = io.BytesIO()
    Image.new("RGBA", (300, 300), (0, 0, 0, 0)).save(out, "PNG")
    response = _upload(api, token, store["id"], product["id"], out.getvalue(), "logo.png")
    assert response.status_code == 201
    with Image.open(io.BytesIO(_fetch(api, response.json["url"]))) as img:
        assert img.mode == "RGBA"
    response = _upload(api, token, store["id"], product["id"], png_bytes((500, 500), fmt="WEBP"), "a.webp")
    assert response.status_code == 201


@pytest.mark.s3
def test_images_go_to_s3_compatible_storage(make_app, seaweedfs):
    from tests.helpers import ApiClient

    bucket = f"media-{uuid.uuid4().hex[:8]}"
    boto3.client("s3", endpoint_url=seaweedfs).create_bucket(Bucket=bucket)
    app = make_app(storage_url=f"s3://{bucket}/behambinan", s3_endpoint_url=seaweedfs,
                   storage_public_url="https://cdn.samarindakota.go.id/media/")
    api = ApiClient(app)
    token, store = api.seller_with_store()
    product = api.add_product(token, store["id"])
    response = _upload(api, token, store["id"], product["id"], _photo_with_gps_exif())
    assert response.status_code == 201, response.json
    url = response.json["url"]
    assert url.startswith("https://cdn.samarindakota.go.id/media/behambinan/products/")
    key = url.removeprefix("https://cdn.samarindakota.go.id/media/")
    head = boto3.client("s3", endpoint_url=seaweedfs).head_object(Bucket=bucket, Key=key)
    assert head["ContentType"] == "image/webp"
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    body = boto3.client("s3", endpoint_url=seaweedfs).get_object(Bucket=bucket, Key=key)["Body"].read()
    with Image.open(io.BytesIO(body)) as img:
        assert img.format == "WEBP" and not img.getexif()
