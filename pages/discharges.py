"""Hospital discharges: the council's own discharges by pathway and outcome, the share needing
no ongoing package, and NHS England's discharge sitrep for the local ICB or trust: discharges by
pathway, and delays in leaving hospital with their reasons."""

import polars as pl
import streamlit as st

from ascdemand.ui import common, demand, discharges

common.require_app()
st.title("Hospital discharges")
st.caption(
    "Discharge pathways: " + "; ".join(discharges.PATHWAY_LABELS.values()) + ". "
    "P1 to P3 usually need support that the council arranges or funds."
)
filters = common.current_filters()

st.header("The council's discharges")
council_monthly = pl.DataFrame()
if not common.has_data():
    common.no_data_message()
else:
    with common.friendly_errors("the council's discharge figures"):
        weekly = discharges.from_first_activity(
            demand.discharges_weekly(filters.as_at, filters.districts), "discharges"
        )
        if weekly.is_empty() or weekly["discharges"].sum() == 0:
            st.info(
                "No hospital discharges match these filters. Widen the districts or as-at date."
            )
        else:
            share = discharges.no_package_share(filters.as_at, filters.districts)
            cols = st.columns(3)
            cols[0].metric(
                "Discharges per week",
                f"{discharges.recent_weekly_mean(weekly, 'discharges'):,.0f}",
                help="Average over the last four weeks.",
            )
            cols[1].metric(
                "Needing social care per week",
                f"{discharges.recent_weekly_mean(weekly, 'to_social_care'):,.0f}",
                help="Average over the last four weeks of discharges followed by any package.",
            )
            if not share.is_empty():
                baseline = discharges.pre_pandemic_share(share, common.profile().pandemic_start)
                cols[2].metric(
                    f"No ongoing package, {share['month'][-1]:%b %Y}",
                    f"{share['share'][-1]:.0%}",
                    None
                    if baseline is None
                    else f"{(share['share'][-1] - baseline) * 100:+.0f} points on before the pandemic",
                    help="Share of the month's discharges that needed no package of care; the "
                    "change is against the average of the months before "
                    f"{common.profile().pandemic_start:%B %Y}.",
                )
            st.caption(f"{filters.caption} Discharges are not split by client group.")
            st.plotly_chart(discharges.pathway_weekly_figure(weekly), key="council_pathways")
            outcomes = discharges.outcomes_weekly(filters.as_at, filters.districts).filter(
                pl.col("week_start") >= weekly["week_start"].min()
            )
            st.plotly_chart(discharges.outcome_weekly_figure(outcomes), key="council_outcomes")
            if not share.is_empty():
                st.plotly_chart(
                    discharges.no_package_figure(share, common.profile().pandemic_start),
                    key="council_no_package",
                )
            council_monthly = discharges.council_monthly(filters.as_at, filters.districts)
            with st.expander("Weekly discharges by pathway (table)"):
                st.dataframe(weekly, hide_index=True)
                common.download_buttons(weekly, "council_discharges_weekly")

st.header("NHS discharge sitrep")
org = None  # (level, code, name) of the organisation chosen below, shared by both NHS sections
if not discharges.has_sitrep():
    st.info(discharges.IMPORT_HELP, icon=":material/upload_file:")
else:
    with common.friendly_errors("the NHS sitrep figures"):
        left, right = st.columns([1, 2])
        org_type = left.radio(
            "Organisation level",
            list(discharges.ORG_LEVELS),
            format_func=discharges.ORG_LEVELS.get,
            horizontal=True,
            key="sitrep_org_type",
        )
        orgs = discharges.organisations(org_type)
        codes = orgs["org_code"].to_list()
        names = dict(zip(codes, orgs["org_name"], strict=True))
        default = discharges.default_org(org_type)
        org_code = right.selectbox(
            discharges.ORG_LEVELS[org_type],
            codes,
            index=codes.index(default) if default in codes else 0,
            format_func=lambda code: f"{discharges.display_name(names[code])} ({code})",
            key=f"sitrep_org_{org_type}",
        )
        org = (org_type, org_code, names[org_code])
        left, right = st.columns([1, 2])
        per_week = left.toggle("Show weekly equivalents", value=True, key="sitrep_weekly")
        with_p0 = right.toggle(
            "Include P0 (home, no new support)",
            value=True,
            key="sitrep_p0",
            help="P0 is most discharges; leave it out to see pathways 1 to 3 more clearly.",
        )
        nhs = discharges.sitrep_monthly(org_type, org_code)
        months = discharges.sitrep_months()
        latest = discharges.latest_month(nhs)
        cols = st.columns(3)
        cols[0].metric(f"Discharges per week, {latest.month:%B %Y}", f"{latest.per_week:,.0f}")
        cols[1].metric("Of which on pathways 1 to 3 per week", f"{latest.supported_per_week:,.0f}")
        cols[2].metric(
            "Share on pathways 1 to 3",
            "not available" if latest.supported_share is None else f"{latest.supported_share:.1%}",
        )
        st.plotly_chart(
            discharges.sitrep_figure(
                nhs if with_p0 else nhs.filter(pl.col("pathway") != "P0"),
                names[org_code],
                weekly=per_week,
            ),
            key="sitrep_pathways",
        )
        st.caption(
            f"{months.height} months imported, {months['month'].min():%B %Y} to "
            f"{months['month'].max():%B %Y}. Weekly equivalent = patients in the month / (days in the "
            "month / 7). Cells NHS England shows as '-' are left out, not counted as zero. Trust and "
            "ICB figures exclude discharges to a hospice."
        )

        st.subheader("Side by side with the council's discharges")
        if council_monthly.is_empty():
            st.info("Load the council's discharge extract to compare it with the NHS figures here.")
        else:
            st.plotly_chart(
                discharges.side_by_side_figure(council_monthly, nhs, names[org_code]),
                key="side_by_side",
            )
            mix = discharges.mix_table(council_monthly, nhs, names[org_code])
            st.dataframe(
                mix,
                hide_index=True,
                column_config={
                    c: st.column_config.NumberColumn(format="percent") for c in mix.columns[1:]
                },
            )
            st.caption(
                "Share of discharges needing support (P1 to P3) on each pathway, each over its own "
                "latest twelve months."
            )

        with st.expander("NHS monthly figures (table)"):
            st.dataframe(nhs, hide_index=True)
            common.download_buttons(nhs, f"nhs_discharges_{org_code}")

st.header("Delays in leaving hospital")
if not discharges.has_sitrep():
    st.info(discharges.DELAYS_IMPORT_HELP, icon=":material/upload_file:")
elif org is not None:
    with common.friendly_errors("the NHS delay figures"):
        org_type, org_code, org_name = org
        shown_name = discharges.display_name(org_name)
        st.caption(
            f"{shown_name}, as chosen above. A patient is delayed when the clinical team says "
            "they no longer meet the criteria to reside (they no longer need an acute hospital "
            "bed) but they have not left. Waits for homecare, reablement and care-home beds "
            "(pathways 1 to 3) are where pressure on the council's services shows in hospital."
        )
        criteria = discharges.criteria_monthly(org_type, org_code)
        bed_days = discharges.delay_bed_days(org_type, org_code)
        reasons = discharges.delay_reasons(org_type, org_code)
        groups = discharges.delay_reason_groups(org_type, org_code)
        if criteria.is_empty() and bed_days.is_empty() and reasons.is_empty():
            st.info(
                f"The imported sitrep months hold no delay figures for {shown_name}. Import "
                "editions that include Tables 2, 3 and 5 on the Data page."
            )
        cols = st.columns(3)
        if not criteria.is_empty():
            now = discharges.still_in_hospital(criteria)
            cols[0].metric(
                f"Ready to leave, still in hospital, {now.month:%b %Y}",
                "not available" if now.per_day is None else f"{now.per_day:,.0f} a day",
                None if now.change is None else f"{now.change:+,.0f} on {now.previous_month:%b %Y}",
                delta_color="inverse",
                help="Average per day of patients who no longer met the criteria to reside and "
                "were not discharged that day.",
            )
            cols[1].metric(
                f"Discharged on the day ready, {now.month:%b %Y}",
                "not available" if now.discharged_share is None else f"{now.discharged_share:.0%}",
                help="Patients discharged on the day / patients no longer meeting the criteria "
                "to reside, over the month's reported days.",
            )
        care = discharges.care_waits(groups)
        if care is not None:
            cols[2].metric(
                f"Waiting 14+ days for care, {care.month:%b %Y}",
                f"{care.per_day:,.0f} a day",
                None if care.share is None else f"{care.share:.0%} of delays of 14+ days",
                delta_color="off",
                delta_arrow="off",
                help="People a day in hospital 14 days or more, delayed waiting for homecare or "
                "reablement (pathway 1), a rehabilitation bed (pathway 2) or a care-home bed "
                "(pathway 3); the share is of all the reasons reported.",
            )

        if not criteria.is_empty():
            st.plotly_chart(discharges.criteria_figure(criteria, org_name), key="delays_criteria")
            st.caption(discharges.criteria_note(criteria))
            with st.expander("Patients ready to leave hospital, monthly (table)"):
                st.dataframe(criteria, hide_index=True)
                common.download_buttons(criteria, f"nhs_ready_to_leave_{org_code}")

        if not bed_days.is_empty():
            st.plotly_chart(discharges.delay_length_figure(bed_days, org_name), key="delays_length")
            st.caption(discharges.DELAY_LENGTH_NOTE)
            with st.expander("Bed days after being ready to leave, by length of stay (table)"):
                st.dataframe(bed_days, hide_index=True)
                common.download_buttons(bed_days, f"nhs_delay_bed_days_{org_code}")

        if not reasons.is_empty():
            st.plotly_chart(discharges.reasons_figure(reasons, org_name), key="delays_reasons")
            st.plotly_chart(
                discharges.reason_groups_figure(groups, org_name), key="delays_reason_groups"
            )
            st.caption(discharges.reasons_note(reasons))
            with st.expander("Reasons for delay, monthly (table)"):
                st.dataframe(reasons, hide_index=True)
                common.download_buttons(reasons, f"nhs_delay_reasons_{org_code}")
            with st.expander("Delays by group of reason, monthly (table)"):
                st.dataframe(groups, hide_index=True)
                common.download_buttons(groups, f"nhs_delay_reason_groups_{org_code}")
