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


def user_name() -> str:
    """A name for audit records: the signed-in email, else `local user`."""
    return user_email() or "local user"
