"""`flask api create-client | list-clients | revoke-client`: API clients from the command line."""
from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup
from sqlalchemy import select

from portal.core import db

api_cli = AppGroup("api", help="API clients and keys for /api/v1.")


@api_cli.command("create-client")
@click.option("--name", required=True, help="Name of the integration, e.g. 'ATS Bakkerij'.")
@click.option("--organisation-kvk", "kvk", default=None, help="KvK number of the organisation it acts for (omit: region-wide, as WSP staff).")
@click.option("--scope", "scopes", multiple=True, required=True,
              help="placements:read, placements:write, candidates:read, trajects:read, monitor:read (repeat).")
@click.option("--expires-days", default=90, show_default=True, type=click.IntRange(1, 366))
def create_client(name: str, kvk: str | None, scopes: tuple[str, ...], expires_days: int) -> None:
    """Create a client and print its key (shown once; only its hash is stored)."""
    from portal.accounts.models import Organisation
    from portal.api import operations
    from portal.core.errors import DomainError

    organisation = None
    if kvk:
        organisation = db.session.scalar(select(Organisation).where(Organisation.kvk_number == kvk.strip()))
        if organisation is None:
            raise click.ClickException(f"No organisation with KvK number {kvk}.")
    expires_at = db.utcnow() + dt.timedelta(days=expires_days)
    try:
        client, key = operations.create_client(None, name=name, organisation=organisation, scopes=scopes,
                                               expires_at=expires_at)
    except DomainError as exc:
        raise click.ClickException(exc.message) from None
    db.commit()
    acting = f"employer of {organisation.name}" if organisation else f"region-wide ({client.role.label})"
    click.echo(f"Created API client {client.id} '{client.name}' acting as {acting}; "
               f"scopes {' '.join(client.scopes)}; expires {client.expires_at:%Y-%m-%d}.")
    click.echo("Key (shown once, store it now):")
    click.echo(key)


@api_cli.command("list-clients")
def list_clients() -> None:
    """List clients (never their keys)."""
    from portal.api.models import ApiClient

    for client in db.session.scalars(select(ApiClient).order_by(ApiClient.id)):
        who = client.organisation.name if client.organisation else "region-wide"
        click.echo(f"{client.id:>4} wpk_{client.key_prefix}_…  {client.status:<8} {client.expires_at:%Y-%m-%d}  "
                   f"{who}  {' '.join(client.scopes)}  {client.name}")


@api_cli.command("revoke-client")
@click.argument("client_id", type=int)
def revoke_client(client_id: int) -> None:
    """Revoke a client's key at once."""
    from portal.api import operations
    from portal.api.models import ApiClient

    client = db.session.get(ApiClient, client_id)
    if client is None:
        raise click.ClickException(f"No API client {client_id}.")
    operations.revoke_client(client, None)
    db.commit()
    click.echo(f"Revoked API client {client.id} '{client.name}'.")
