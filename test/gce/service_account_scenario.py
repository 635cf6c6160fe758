"""google-api-python-client 1.x (Debian) with a service-account key file, the way Google documents it:
google.oauth2.service_account reads GOOGLE_APPLICATION_CREDENTIALS, signs a JWT and exchanges it at the
file's token_uri (polystack's); only the discovery URL points at polystack."""
import os
import sys

from google.oauth2 import service_account
from googleapiclient.discovery import build

URL = os.environ["GCE_URL"]
creds = service_account.Credentials.from_service_account_file(
    os.environ["GOOGLE_APPLICATION_CREDENTIALS"], scopes=["https://www.googleapis.com/auth/compute"])
gce = build("compute", "v1", credentials=creds, cache_discovery=False,
            discoveryServiceUrl=URL + "/discovery/v1/apis/{api}/{apiVersion}/rest")
listed = gce.instances().list(project=creds.project_id, zone=os.environ["GCE_ZONE"]).execute()
names = sorted(i["name"] for i in listed.get("items", []))
if names != [os.environ["GCE_INSTANCE"]]:
    print(f"FAIL instances: {names}")
    sys.exit(1)
print(f"token from {creds._token_uri}")
print("PASS")
