"""The council profile on the Data page: what is stored, and a form to check and load another."""

from __future__ import annotations

import streamlit as st

from ascdemand.models.load_report import profile_problems_frame
from ascdemand.profile import GENERIC, CouncilProfile, ProfileError
from ascdemand.store import profile as profile_store
from ascdemand.store import writer
from ascdemand.ui.common import escape_markdown
from ascdemand.ui.services import council


def _show(profile: CouncilProfile) -> None:
    st.markdown(
        f"**{escape_markdown(profile.name)}** ({escape_markdown(profile.ons_code)}): care board "
        f"{escape_markdown(profile.icb)}, trusts "
        f"{escape_markdown(', '.join(profile.trusts) or 'none')}; "
        f"{profile.resident_share:.0%} of the care board's discharges live in the area; "
        f"figures 'before the pandemic' describe the week of {profile.pandemic_start.day} {profile.pandemic_start:%B %Y}."
    )
    st.dataframe(profile_store.profile_summary(profile), hide_index=True)
    if profile.comparators is not None:
        st.caption(
            "Comparator councils: " + escape_markdown(", ".join(profile.comparators["council"]))
        )


def profile_section() -> None:
    """The stored profile, and a form to check and load another (a TOML file and, if it
    names one, its comparator CSV)."""
    st.subheader("Council profile")
    profile = council.profile()
    if profile is GENERIC:
        st.info(
            "No council profile loaded yet. The profile names the council, its districts and "
            "their postcodes, its care board and trusts: load it before any extract (see the "
            "README for the format).",
            icon=":material/location_city:",
        )
    else:
        _show(profile)
    with st.expander("Load a council profile"):
        toml_file = st.file_uploader("Profile (.toml)", type=["toml"], key="profile_file")
        csv_file = st.file_uploader(
            "Comparator councils (.csv, optional: the file the profile names)",
            type=["csv"],
            key="profile_comparators",
        )
        if toml_file is not None and st.button("Check and store the profile", key="profile_go"):
            try:
                text = toml_file.getvalue().decode("utf-8-sig")
                stored = council.store_profile(
                    text, csv_file.getvalue() if csv_file else None, toml_file.name
                )
            except UnicodeDecodeError:
                st.warning(f"{toml_file.name} is not UTF-8 text.", icon=":material/report:")
            except ProfileError as err:
                st.warning(
                    f"{toml_file.name} was not stored: {len(err.problems)} problem(s). "
                    "Nothing was changed.",
                    icon=":material/report:",
                )
                st.dataframe(profile_problems_frame(err), hide_index=True)
            except writer.DatabaseBusy as busy:
                st.warning(str(busy), icon=":material/hourglass:")
            else:
                st.success(
                    f"Stored the profile of {escape_markdown(stored.name)}: "
                    f"{len(stored.districts)} districts.",
                    icon=":material/check_circle:",
                )
