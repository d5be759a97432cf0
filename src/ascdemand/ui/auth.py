"""Who is using the app: single sign-on through Streamlit's OIDC login when configured."""

from __future__ import annotations

import streamlit as st

from ascdemand import access


def sso_configured() -> bool:
    """True when `.streamlit/secrets.toml` has an `[auth]` section (OIDC single sign-on)."""
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def user_email() -> str | None:
    """The signed-in user's email, or None in local mode or when signed out."""
    if not sso_configured() or not st.user.is_logged_in:
        return None
    return st.user.get("email")


def current_role(config: access.AccessConfig) -> str | None:
    """The role of whoever is using the app; None when they must sign in or have no access."""
    if not sso_configured():
        return config.local_role
    if not st.user.is_logged_in:
        return None
    groups = st.user.get("groups") or []
    if isinstance(groups, str):
        groups = [groups]
    return access.role_for(st.user.get("email"), groups, config)


def sign_in_or_refuse() -> None:
    """The page shown instead of the app to someone without a role."""
    st.title("Adult social care demand")
    if not st.user.is_logged_in:
        st.write("Sign in with your council account to continue.")
        st.button("Sign in", on_click=st.login, type="primary", icon=":material/login:")
    else:
        st.warning(
            f"{st.user.get('email', 'This account')} has no access to this dashboard. Ask the "
            "dashboard's administrator to add you to a role.",
            icon=":material/lock:",
        )
        st.button("Sign out", on_click=st.logout)


def signed_in_as(role: str) -> None:
    """Under single sign-on, who is signed in (and as what) in the sidebar, with a sign-out
    button; nothing in local mode."""
    if not sso_configured():
        return
    with st.sidebar:
        st.caption(f"Signed in as {user_email()} ({role}).")
        st.button("Sign out", on_click=st.logout, key="sign_out")


def user_name() -> str:
    """A name for audit records: the signed-in email, else `local user`."""
    return user_email() or "local user"


def app_role() -> str | None:
    """The current user's role (director, commissioner, committee), as the app decides it."""
    try:
        return current_role(access.load_config())
    except (FileNotFoundError, ValueError):
        return None


def can_edit_actions() -> bool:
    """Officers (directors and commissioners) record mitigating actions and comparators."""
    return app_role() in ("director", "commissioner")


def can_set_targets() -> bool:
    """Only the Director sets targets."""
    return app_role() == "director"
