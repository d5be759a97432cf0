"""The council profile on the Data page: what is stored, and loading a new one."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ascdemand import settings
from ascdemand.profile import GENERIC, CouncilProfile, ProfileError
from ascdemand.store import profile as profile_store
from ascdemand.store import writer
from ascdemand.ui import auth, common


def store_profile(text: str, csv: bytes | None, source: str) -> CouncilProfile:
    """Check an uploaded profile (and its comparator CSV) and store it; cached results are
    keyed on the data version, which the write changes.

    Raises:
        ProfileError: The profile has problems, or the stored extracts use districts it lacks.
        writer.DatabaseBusy: Another write held the database too long.
    """
    with writer.transaction(settings.db_path()) as con:
        return profile_store.save_profile(con, text, csv, source=source, loaded_by=auth.user_name())


def problems_frame(error: ProfileError) -> pl.DataFrame:
    """A profile's problems as a table: the key and what is wrong with it."""
    return pl.DataFrame(
        {"Key": [p.key for p in error.problems], "Problem": [p.message for p in error.problems]},
        schema={"Key": pl.String, "Problem": pl.String},
    )


def _show(council: CouncilProfile) -> None:
    name = common.escape_markdown(council.name)
    st.markdown(
        f"**{name}** ({common.escape_markdown(council.ons_code)}): care board "
        f"{common.escape_markdown(council.icb)}, trusts "
        f"{common.escape_markdown(', '.join(council.trusts) or 'none')}; "
        f"{council.resident_share:.0%} of the care board's discharges live in the area; "
        f"figures 'before the pandemic' describe the week of {council.pandemic_start:%d %B %Y}."
    )
    st.dataframe(profile_store.profile_summary(council), hide_index=True)
    if council.comparators is not None:
        st.caption(
            "Comparator councils: "
            + common.escape_markdown(", ".join(council.comparators["council"]))
        )


def profile_section() -> None:
    """The stored profile, and a form to check and load another (a TOML file and, if it
    names one, its comparator CSV)."""
    st.subheader("Council profile")
    council = common.profile()
    if council is GENERIC:
        st.info(
            "No council profile loaded yet. The profile names the council, its districts and "
            "their postcodes, its care board and trusts: load it before any extract (see the "
            "README for the format).",
            icon=":material/location_city:",
        )
    else:
        _show(council)
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
                stored = store_profile(
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
                st.dataframe(problems_frame(err), hide_index=True)
            except writer.DatabaseBusy as busy:
                st.warning(str(busy), icon=":material/hourglass:")
            else:
                st.success(
                    f"Stored the profile of {common.escape_markdown(stored.name)}: "
                    f"{len(stored.districts)} districts.",
                    icon=":material/check_circle:",
                )
