#!/usr/bin/env python3
"""Build the reference CSVs of the AI Factory Dashboard from cited anchors.

One deterministic script writes ``data/sources.csv`` and every CSV in
``data/reference``. Reported numbers are typed in below, each next to its
source_id; derived and modelled numbers are computed here from those anchors
with the methods described in ``data/README.md``. Re-running the script must
reproduce the committed files byte for byte (``tests/test_data_integrity.py``
checks this), so: no randomness, no clock, no network, standard library only (plus
``factorycore/schema.py``, itself standard library, for the column contract, years and bands).

Usage::

    python data/build_models.py            # rewrite data/sources.csv + data/reference/*.csv
    python data/build_models.py --out DIR  # write the same files under DIR instead
    python data/build_models.py --anchors  # print each model's anchors and how close it comes
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
from pathlib import Path
from statistics import NormalDist

DATA_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(DATA_DIR.parent))  # factorycore.schema: the tables' columns, years, bands, profiles
from factorycore.schema import DENSITY_BANDS, DENSITY_PROFILES, REFERENCE_YEARS, TABLES  # noqa: E402

sys.path.insert(0, str(DATA_DIR))  # compliance_rules.py: the data-centre reporting rules, beside this script
from compliance_rules import COMPLIANCE_READ_ON, COMPLIANCE_SOURCES, compliance_rule_rows  # noqa: E402

YEARS = list(REFERENCE_YEARS)
N = NormalDist()

README = "data/README.md"


# --------------------------------------------------------------------------------------
# Sources. status: firm = read in the publisher's own document; secondary = seen through
# press or a summary; model = a method of this project documented in data/README.md.
# --------------------------------------------------------------------------------------
SOURCES = [
    # source_id, publisher, title, year, url, status, note
    (
        "uptime_gdcs_2018",
        "Uptime Institute",
        "Global Data Center Survey 2018 (summary by datacenter.com)",
        2018,
        "https://datacenter.com/news_and_insight/global-data-center-survey-by-the-uptime-institute/",
        "secondary",
        "Summary of the 2018 survey (867 data centers): about 20% of respondents said their highest density was 30 "
        "kW or "
        "more; one in twenty reported above 50 kW per rack. Shares of sites by their densest rack, not of racks.",
    ),
    (
        "uptime_gdcs_2020",
        "Uptime Institute",
        "Global Data Center Survey 2020 (summary by itone.lu)",
        2020,
        "https://itone.lu/news/uptime-institute-reveals-the-results-of-its-2020-data-center-industry-survey",
        "secondary",
        "Summary of the 2020 survey: mean average density 8.4 kW per rack. Uptime's own journal page was not read.",
    ),
    (
        "uptime_gdcs_2024",
        "Uptime Institute",
        "Global Data Center Survey 2024 (summary by cloudnews.tech)",
        2024,
        "https://cloudnews.tech/uptime-institute-highlights-decline-in-trust-in-ai-and-need-to-improve-sustainability"
        "-metrics-in-data-centers",
        "secondary",
        "Summary of the 14th survey: average rack density increased but still remains below 8-10 kW; most "
        "installations have no racks above 30 kW.",
    ),
    (
        "uptime_gdcs_2021",
        "Uptime Institute",
        "Global Data Center Survey 2021 (summary)",
        2021,
        "https://magazine.intelligentdatacentres.com/intelligent-data-centres-issue-32/0337247001633682834?page=20",
        "secondary",
        "Press summary: more than one-third of respondents say their most common rack density is below 5 kW; nearly "
        "half 5-10 kW. Shares of sites by modal density, not of racks.",
    ),
    (
        "uptime_gdcs_2023",
        "Uptime Institute",
        "Global Data Center Survey 2023 (Keynote Report 106)",
        2023,
        "https://intelligence.uptimeinstitute.com/index.php/resource/uptime-institute-global-data-center-survey-2023",
        "firm",
        "Qualitative: rack densities climbing steadily but slowly; most operators have no racks beyond 20 kW.",
    ),
    (
        "uptime_gdcs_2025",
        "Uptime Institute",
        "Global Data Center Survey 2025 (Keynote Report 180)",
        2025,
        "https://intelligence.uptimeinstitute.com/resource/uptime-institute-global-data-center-survey-2025",
        "firm",
        "Qualitative: densities rise slowly, driven by 10-30 kW racks; few facilities exceed 30 kW; PUE 1.54.",
    ),
    (
        "uptime_gdcs_2025_press",
        "Uptime Institute",
        "Global Data Center Survey 2025 (press summary)",
        2025,
        "https://www.apmdigest.com/data-centers-preparing-unpredictable-ai-workload-demand",
        "secondary",
        "Roughly one-third of owners/operators perform some AI training or inference.",
    ),
    (
        "uptime_update_495_2026",
        "Uptime Institute",
        "Intelligence Update 495: Lower density brings server efficiency and cooling gains",
        2026,
        "https://intelligence.uptimeinstitute.com/resource/lower-density-brings-server-efficiency-and-cooling-gains",
        "firm",
        "Typical (modal) rack densities shifting toward 10 kW, more than a quarter of operators above it (GDCS 2025).",
    ),
    (
        "uptime_cooling_2025",
        "Uptime Institute",
        "Intelligence Update 431 (Cooling Systems Survey 2025)",
        2025,
        "https://intelligence.uptimeinstitute.com/resource/fewer-operators-cite-sustainability-dlc-driver",
        "firm",
        "18% of respondents (n=388) already use direct liquid cooling; 62% considering it.",
    ),
    (
        "uptime_ai_infra_2025",
        "Uptime Institute",
        "AI Infrastructure Survey 2025 (summary by NEXTDC)",
        2025,
        "https://www.nextdc.com/blog/uptime-institute-ai-infrastructure-survey-2025?hs_amp=true",
        "secondary",
        "32% of operators deploy AI inference; 45% more plan to.",
    ),
    (
        "afcom_sotdc_2016",
        "AFCOM",
        "State of the Data Center 2016",
        2016,
        "https://blog.enconnex.com/data-center-rack-density",
        "secondary",
        "Average rack density 6.1 kW (2016), quoted by Enconnex.",
    ),
    (
        "afcom_sotdc_2021",
        "AFCOM",
        "State of the Data Center 2021 (quoted by ComputeForecast)",
        2021,
        "https://computeforecast.com/?p=65705",
        "secondary",
        "Average rack density 7 kW (2021), quoted by ComputeForecast in the same sentence as the 2025 figure.",
    ),
    (
        "afcom_sotdc_2024",
        "AFCOM",
        "State of the Data Center 2024",
        2024,
        "https://blog.enconnex.com/data-center-rack-density",
        "secondary",
        "Average rack density around 12 kW, quoted by Enconnex.",
    ),
    (
        "afcom_sotdc_2024_cooling",
        "AFCOM",
        "State of the Data Center 2024 (cooling findings)",
        2024,
        "https://www.missioncriticalmagazine.com/articles/95114",
        "secondary",
        "17% of respondents had adopted liquid cooling. This page was not in the search corpora, and no other "
        "carrier of "
        "the figure was found, so its row is unverified.",
    ),
    (
        "afcom_sotdc_2025",
        "AFCOM",
        "State of the Data Center 2025 (quoted by ComputeForecast)",
        2025,
        "https://computeforecast.com/?p=65705",
        "secondary",
        "Average rack density 16 kW (2025), quoted by ComputeForecast.",
    ),
    (
        "afcom_sotdc_2025_ai",
        "AFCOM",
        "State of the Data Center 2025 (AI findings)",
        2025,
        "https://rcrwireless.com/?p=413642",
        "secondary",
        "Nearly 65% of respondents actively deploying AI-capable solutions; 80% expect significant AI capacity "
        "increases.",
    ),
    (
        "afcom_sotdc_2026",
        "AFCOM",
        "State of the Data Center 2026",
        2026,
        "https://www.datacenterfrontier.com/sponsored/article/55366161/designing-data-centers-for-the-ai-age",
        "secondary",
        "Sponsored article citing the AFCOM State of the Data Center report: average rack density around 27 kW "
        "'today', "
        "up from roughly 7 kW in 2021. The sentence names no report year; it is read as the 2026 report, the edition "
        "current when the article appeared.",
    ),
    (
        "afcom_sotdc_2026_cooling",
        "AFCOM",
        "State of the Data Center 2026 (cooling findings)",
        2026,
        "https://www.upsite.com/blog/the-state-of-data-center-cooling-in-2026/",
        "secondary",
        "36% have deployed liquid cooling, 28% plan to within 12-24 months; separately, 37% adopted or are considering "
        "RDHx; more than one in four racks use liquid cooling (respondents' racks).",
    ),
    (
        "schneider_wp156",
        "Schneider Electric",
        "White Paper 156: Choosing the Optimal Data Center Power Density",
        2013,
        "https://www.scribd.com/document/351259957/choosing-the-optimal-data-center-power-density-pdf",
        "secondary",
        "Third-party copy of the white paper (Revision 0; Kevin Brown, Wendy Torell, Victor Avelar): optimal "
        "average density 5-8 kW per rack. No copy on se.com was found; year of the white paper not checked.",
    ),
    (
        "delloro_ai_backend_2026",
        "Dell'Oro Group",
        "4Q 2025 Data Center Switch - AI Back-end Networks Report (press release)",
        2026,
        "https://www.prnewswire.com/news-releases/ethernet-more-than-doubles-size-of-infiniband-as-the-leading-fabric"
        "-for-ai-scale-out-networks-in-2025-according-to-delloro-group-302708949.html",
        "firm",
        "Ethernet accounted for more than two-thirds of data center switch sales in AI back-end networks in 2025.",
    ),
    (
        "lbnl_2024_energy_report",
        "Lawrence Berkeley National Laboratory",
        "2024 United States Data Center Energy Usage Report",
        2024,
        "https://www.publicpower.org/periodical/article/report-sees-data-center-load-growth-doubling-or-tripling-2028",
        "secondary",
        "APPA summary: 58 TWh (2014) to 176 TWh (2023); 325-580 TWh by 2028. The same figures are in Berkeley Lab's "
        "news release (seen only as a repost at miragenews.com). The LBNL PDF itself was not read.",
    ),
    (
        "lbnl_2024_energy_report_rto",
        "Lawrence Berkeley National Laboratory",
        "2024 United States Data Center Energy Usage Report (RTO Insider: Berkeley Lab: Data Centers Could Need 12% "
        "of US Power by 2028)",
        2024,
        "https://rtoinsider.com/94520-berkeley-lab-data-centers-us-power-2028",
        "secondary",
        "RTO Insider article of 22 Dec 2024: 76 TWh in 2018 (1.9% of US demand), 176 TWh in 2023 (4.4%), up to 12% "
        "by 2028. The 2018 figure was read in the article's full text as mirrored at rtowww.com; the rtoinsider.com "
        "page itself was seen with its lead (4.4% in 2023 to up to 12% in 2028).",
    ),
    (
        "iea_energy_ai_2025",
        "International Energy Agency",
        "Energy and AI",
        2025,
        "https://www.iea.org/reports/energy-and-ai/energy-demand-from-ai",
        "secondary",
        "Global data centre electricity ~415 TWh in 2024, ~945 TWh in 2030 (Base Case). The iea.org page was not read; "
        "the figures were read in press reports of the release (each row's seen_at).",
    ),
    (
        "iea_energy_ai_2025_cases",
        "International Energy Agency",
        "Energy and AI (Lift-Off and Headwinds cases)",
        2025,
        "https://www.iea.org/reports/energy-and-ai/energy-demand-from-ai",
        "secondary",
        "2030 Lift-Off 1264 TWh and Headwinds 669 TWh: found in no document read for this project (IEA text, press "
        "or summaries), so the rows are unverified. A press summary says the Headwinds case cuts 2030 consumption by "
        "nearly 30% (particle.news), consistent with but not stating 669 TWh.",
    ),
    (
        "iea_key_questions_2026",
        "International Energy Agency",
        "Key Questions on Energy and AI (2026 update)",
        2026,
        "https://currentclimatedp.substack.com/p/the-iea-weighs-in",
        "secondary",
        "Newsletter summary by a peer reviewer of the 2025 report: the 2030 projection moved from 945 to 950 TWh; the "
        "Lift-Off case was scaled back in the near term. The IEA report itself was not read.",
    ),
    (
        "iea_energy_ai_2025_regions",
        "International Energy Agency",
        "Energy and AI (regional figures, Graphic News chart)",
        2025,
        "http://46.235.172.94/Archive/arch-46500-46999/GN46940T_words_EN.txt",
        "secondary",
        "Graphic News chart text citing IEA: US 183 -> 426, China 102 -> 277, Europe 68 -> 113 TWh (2024 -> 2030 Base "
        "Case). A bare-IP archive; no better carrier of the exact figures was found. beleevid.com's summary of the IEA "
        "page corroborates the changes (US +240 TWh, ~130%; China +175 TWh, ~170%; Europe +45 TWh, ~70%).",
    ),
    (
        "iea_energy_ai_2025_growth",
        "International Energy Agency",
        "Energy and AI (growth over the last five years, as summarised)",
        2025,
        "https://theelectricityhub.com/ai-powers-data-surge-sparks-electricity-alarm",
        "secondary",
        "Summaries: data centre use ~415 TWh in 2024 after growing ~12% a year over the last five years. The 12% "
        "sentence was read in a proxy copy of a European Commission news page (vuink.com, each row's seen_at); no "
        "better carrier of that sentence was found in the search corpora.",
    ),
    (
        "nvidia_dgx_a100_guide",
        "NVIDIA",
        "DGX A100 User Guide (power specifications, via pcnews.ru)",
        2020,
        "https://pcnews.ru/news/vycislitelnaa_sistema_nvidia_dgx_a100_ampere_osnasaetsa_sestu_blokami_pitania_po_3_kv"
        "t-985106.html",
        "secondary",
        "Summary of NVIDIA's DGX A100 documentation: 6,500 W maximum system power, six 3 kW PSUs.",
    ),
    (
        "nvidia_dgx_h100_guide",
        "NVIDIA",
        "DGX H100/H200 User Guide (power specifications, via summary)",
        2022,
        "https://unanswered.io/guide/nvidia-dgx-power-consumption-watts",
        "secondary",
        "Summary citing the DGX H100/H200 User Guide: six 3.3 kW PSUs, 10.2 kW maximum system input. NVIDIA's user "
        "guide itself was not in the search corpora.",
    ),
    (
        "nvidia_dgx_b200_guide",
        "NVIDIA",
        "DGX B200 User Guide: Introduction to NVIDIA DGX B200 Systems",
        2024,
        "https://docs.nvidia.com/dgx/dgxb200-user-guide/introduction-to-dgxb200.html",
        "secondary",
        "NVIDIA's DGX B200 user guide (8 x B200, six 3.3 kW supplies). Not in the search corpora: the 14.3 kW "
        "maximum is read in thedailyscout.com's summary of NVIDIA's documentation, and the supply rating is "
        "unverified.",
    ),
    (
        "press_dgx_blackwell_power",
        "NVIDIA",
        "DGX B200 and DGX B300 system power (thedailyscout.com summary of NVIDIA documentation)",
        2025,
        "https://thedailyscout.com/s/mS-qfkbCluI",
        "secondary",
        "DGX B200 estimated at 14.3 kW maximum and DGX B300 listed at 14.5 kW, citing docs.nvidia.com.",
    ),
    (
        "nvidia_superpod_b200_ra",
        "NVIDIA",
        "DGX SuperPOD with DGX B200 Systems: Reference Architecture",
        2024,
        "https://docs.nvidia.com/dgx-superpod/reference-architecture-scalable-infrastructure-b200/latest/dgx-superpod"
        "-architecture.html",
        "firm",
        "Example SU rack layout: power consumption per rack exceeds 25 kW.",
    ),
    (
        "nvidia_superpod_b300_ra",
        "NVIDIA",
        "DGX SuperPOD with DGX B300 Systems (XDR): Reference Architecture",
        2025,
        "https://docs.nvidia.com/dgx-superpod/reference-architecture/scalable-infrastructure-b300-xdr/latest/dgx-supe"
        "rpod-architecture.html",
        "firm",
        "Four DGX B300 per rack; rack-level power ~56 kW (AC, PDU-powered EIA racks).",
    ),
    (
        "nvidia_superpod_gb200_ra",
        "NVIDIA",
        "DGX SuperPOD with DGX GB200 Systems: Reference Architecture",
        2024,
        "https://docs.nvidia.com/dgx-superpod/reference-architecture-scalable-infrastructure-gb200/latest/dgx-superpo"
        "d-architecture.html",
        "firm",
        "One scalable unit = 8 DGX GB200 rack systems; each SU requires a TDP of 1.2 MW; hybrid liquid + air cooling.",
    ),
    (
        "schneider_nvl72_132kw",
        "Schneider Electric",
        "Rack power of the latest NVIDIA GPU racks (quoted by ComputeForecast)",
        2026,
        "https://computeforecast.com/?p=65705",
        "secondary",
        "Steven Carlini (Schneider Electric): latest NVIDIA GPU servers require 132 kW when fully loaded into a rack.",
    ),
    (
        "jll_dc_outlook_2024",
        "JLL",
        "Data Centers 2024 Global Outlook (citing IDC)",
        2024,
        "https://datacenterdigest.beehiiv.com/p/this-is-the-future-of-data-centers1",
        "secondary",
        "Newsletter summary of the outlook: average rack density in hyperscale data centers is currently 36 kW, "
        "estimated to reach 50 kW by 2027. JLL attributes it to IDC's DC Deployment Model and Spend Forecast, 2H22 "
        "(w.media quotes the report's text). The JLL PDF was not read.",
    ),
    (
        "jll_dc_outlook_2025",
        "JLL",
        "2025 Global Data Center Outlook (summary by DCNN)",
        2025,
        "https://dcnnmagazine.com/category/news/page/6/?next=10",
        "secondary",
        "GPUs have led to higher rack densities ranging from 40 kW to 130 kW per rack; future chips projected to "
        "250 kW.",
    ),
    (
        "press_gb200_nvl72_120kw",
        "Fudzilla",
        "Nvidia shows off Blackwell GB200 and GB300 racks (report of NVIDIA's Hot Chips 2025 talk)",
        2025,
        "https://mail.fudzilla.net/news/61598-nvidia-shows-off-blackwell-gb200-and-gb300-racks?print=1&tmpl=component",
        "secondary",
        "Report of the talk by NVIDIA mechanical engineer John Norton at Hot Chips 2025: each GB200 system's rack "
        "draws 120 kW. NVIDIA's own figure, read in press.",
    ),
    (
        "nvidia_nvl72_ai_factory_ra",
        "NVIDIA",
        "NVIDIA NVL72 AI Factory (Enterprise Reference Architecture): System Hardware & Components",
        2025,
        "https://docs.nvidia.com/enterprise-reference-architectures/nvl72-ai-factory/latest/components.html",
        "firm",
        "GB300 NVL72 compute rack: 8 power shelves of 33 kW (six 5.5 kW PSUs each); full rack requiring up to 142 kW.",
    ),
    (
        "supermicro_gb300_nvl72",
        "Supermicro",
        "GB300 NVL72 power (Supermicro Blackwell solutions brochure, quoted by ServerSimply)",
        2025,
        "https://www.serversimply.com/blog/inside-supermicro-gb300-nvl72",
        "secondary",
        "Reseller summary citing Supermicro's brochure: operating power (typical) ~132-140 kW per GB300 NVL72 rack; "
        "8 x 33 kW power shelves.",
    ),
    (
        "morgan_stanley_gb300_cooling",
        "Epium",
        "NVIDIA GB300 Blackwell Ultra NVL72 liquid cooling costs nearly USD 50,000",
        2025,
        "https://epium.com/news/nvidia-gb300-blackwell-ultra-nvl72-liquid-cooling-costs-nearly-usd-50000",
        "secondary",
        "Summary of Morgan Stanley's cooling model: each Blackwell Ultra chip rated at 1,400 W thermal design power.",
    ),
    (
        "press_gb300_nvl72",
        "Introl",
        "Why the NVIDIA GB300 NVL72 (Blackwell Ultra) matters",
        2025,
        "https://introl.com/blog/why-nvidia-gb300-nvl72-blackwell-ultra-matters",
        "secondary",
        "Rack breakdown: 18 compute trays ~117 kW, 9 NVLink switch trays 3.6 kW, 8 power shelves 132 kW DC output. "
        "The same page has factual errors (four GPUs per superchip, '72 GPU cores' per superchip): a ledger entry, "
        "never a sizing basis.",
    ),
    (
        "tomshardware_rubin_ultra_2025",
        "Tom's Hardware",
        "Nvidia shows off Rubin Ultra with 600,000-Watt Kyber racks",
        2025,
        "https://tomshardware.com/pc-components/gpus/nvidia-shows-off-rubin-ultra-with-600-000-watt-kyber-racks-and-i"
        "nfrastructure-coming-in-2027",
        "secondary",
        "GTC 2025: Rubin Ultra NVL576 Kyber racks for 2H 2027, up to 600 kW per rack (confirmed by Jensen Huang in "
        "Q&A).",
    ),
    (
        "hf_hardware_a100",
        "Hugging Face",
        "Hardware: NVIDIA A100",
        2025,
        "https://huggingface.co/hardware/a100",
        "secondary",
        "A100 (SXM, 80 GB) power 400 W.",
    ),
    (
        "runpod_h100_power",
        "RunPod",
        "What is the power consumption of the NVIDIA H100 GPU?",
        2025,
        "https://runpod.io/ai-faq/what-is-the-power-consumption-of-the-nvidia-h100-gpu",
        "secondary",
        "H100 SXM up to 700 W TDP; H100 PCIe ~350 W.",
    ),
    (
        "nvidia_h100_pcie_brief",
        "NVIDIA",
        "H100 PCIe GPU Product Brief PB-11133-001_v02 (copy on manuals.plus)",
        2022,
        "https://manuals.plus/m/56b0c3ef7d0a1c470c0af8f05a0bd1f29a778007472ba941201fbbb185c9bccd",
        "secondary",
        "Maximum TDP 350 W; passive heat sink (air).",
    ),
    (
        "mlperf_v41_nvidia_h200",
        "MLCommons",
        "MLPerf Inference v4.1 system description: NVIDIA H200-SXM-141GBx8 (TRT, MaxQ)",
        2024,
        "https://raw.githubusercontent.com/mlcommons/inference_results_v4.1/main/closed/NVIDIA/systems/H200-SXM-141GB"
        "x8_TRT_MaxQ.json",
        "firm",
        "Submitted by NVIDIA. hw_notes: 'H200 TGP 700W'; 8 x H200-SXM-141GB per node, air-cooled. Replaces the "
        "Hugging Face hardware page (also 700 W).",
    ),
    (
        "mlperf_v6_nebius_b200",
        "MLCommons",
        "MLPerf Inference v6.0 system description: Nebius B200 (n1)",
        2026,
        "https://raw.githubusercontent.com/mlcommons/inference_results_v6.0/main/closed/Nebius/systems/nebius_b200_n1"
        ".json",
        "firm",
        "hw_notes: 'B200 TGP 1000W'; 8 x B200-SXM-180GB per node, air-cooled.",
    ),
    (
        "hf_hardware_b300",
        "Hugging Face",
        "Hardware: NVIDIA B300",
        2026,
        "https://huggingface.co/hardware/b300",
        "secondary",
        "B300 power 1400 W.",
    ),
    (
        "glennklockwood_b200",
        "Glenn K. Lockwood",
        "B200 (notes)",
        2025,
        "https://glennklockwood.com/garden/processors/B200",
        "secondary",
        "B200 1000 W maximum in HGX; the GB200 variant is configured at 1,200 W.",
    ),
    (
        "meterpreter_mi300x",
        "meterpreter.org",
        "AMD confirms Instinct MI300X power consumption up to 750W",
        2023,
        "https://meterpreter.org/amd-confirms-instinct-mi300x-power-consumption-up-to-750w",
        "secondary",
        "MI300X OAM 750 W; preceding MI250X 560 W.",
    ),
    (
        "yobitel_mi325x",
        "Yobitel",
        "AMD MI325X (knowledge base)",
        2025,
        "https://yobitel.com/knowledge-base/amd-mi325x",
        "secondary",
        "MI325X TDP ~1,000 W vs MI300X 750 W.",
    ),
    (
        "tomshardware_mi355x",
        "Tom's Hardware",
        "AMD's Instinct MI355X accelerator will reportedly consume 1,400 watts",
        2025,
        "https://www.tomshardware.com/pc-components/gpus/amds-instinct-mi355x-accelerator-will-consume-1-400-watts",
        "secondary",
        "MI350X 1000 W designed for air cooling; MI355X up to 1400 W, primarily direct liquid cooling.",
    ),
    (
        "google_tpu_v4_docs",
        "Google Cloud",
        "Cloud TPU v4 documentation",
        2025,
        "https://cloud.google.com/tpu/docs/v4",
        "firm",
        "Measured min/mean/max power per chip 90/170/192 W.",
    ),
    # Project models, one per method (anchors in data/README.md).
    (
        "afd_model_density_bands",
        "AI Factory Dashboard (this project)",
        "Model: rack-power log-normal per segment",
        2026,
        f"{README}#model-density-bands",
        "model",
        "Segment averages and 10th/90th percentile ranges of rack power.",
    ),
    (
        "afd_model_power_distribution",
        "AI Factory Dashboard (this project)",
        "Model: share of racks per density band",
        2026,
        f"{README}#model-power-distribution",
        "model",
        "Log-normal rack-power distributions discretised into the 7 bands.",
    ),
    (
        "afd_model_hgx_power",
        "AI Factory Dashboard (this project)",
        "Model: HGX-class 8-GPU server power",
        2026,
        f"{README}#model-hgx-system-power",
        "model",
        "System power = 8 x GPU TDP / GPU share of server power.",
    ),
    (
        "afd_model_superchip_power",
        "AI Factory Dashboard (this project)",
        "Model: GB200 superchip power",
        2026,
        f"{README}#model-superchip-power",
        "model",
        "2 x B200 at 1.2 kW + Grace CPU and memory.",
    ),
    (
        "afd_model_maturity",
        "AI Factory Dashboard (this project)",
        "Model: infrastructure maturity by segment",
        2026,
        f"{README}#model-maturity",
        "model",
        "Per-segment split of public anchors; scored rubric.",
    ),
    (
        "afd_model_stack",
        "AI Factory Dashboard (this project)",
        "Model: power split of a GB200 NVL72 hall",
        2026,
        f"{README}#model-stack",
        "model",
        "NVL72 rack composition plus PUE overhead split.",
    ),
    # Hardware power ledger: sources of the published power figures.
    (
        "dell_genai_inference_guide",
        "Dell Technologies",
        "Design Guide: Generative AI in the Enterprise, Inferencing (Dell PowerEdge servers and NVIDIA GPUs)",
        2024,
        "https://infohub.delltechnologies.com/l/design-guide-generative-ai-in-the-enterprise-inferencing/dell-powered"
        "ge-servers-and-nvidia-gpus/",
        "firm",
        "Table of NVIDIA GPUs: maximum TDP 700 W (H100 SXM, PowerEdge XE9680), 350 W (H100 PCIe).",
    ),
    (
        "nvidia_dps_device_specs",
        "NVIDIA",
        "Dynamic Power Software (DPS): Device Specifications",
        2025,
        "https://docs.nvidia.com/datacenter/dps/versions/latest/guides/concepts/device-specifications.html",
        "firm",
        "Shipped registry: GB200 compute tray (Bianca) maxLoadWatts 6667 (2 Grace + 4 GB200 GPUs); GB200 GPU 1200 "
        "W; Grace CPU 420 W.",
    ),
    (
        "nvidia_mission_control_powershelf",
        "NVIDIA",
        "Base Command Manager / Mission Control: BCM Power Shelf Integration",
        2025,
        "https://docs.nvidia.com/base-command-manager/product-manuals/nvidia-mission-control/powershelf.md",
        "firm",
        "GB200 rack reference design: 8 power shelves x 6 PSUs; each PSU rated up to 5.5 kW, each shelf up to 33 kW.",
    ),
    (
        "supercluster_dgx_h100_power",
        "supercluster.blog",
        "AI Supercluster: NVIDIA DGX Power, Cooling, and Efficiency",
        2024,
        "https://www.supercluster.blog/p/6-ai-supercluster-nvidia-dgx-h100",
        "secondary",
        "DGX H100: maximum up to 10.2 kW at full load; typical 6.5-8.5 kW. Its PSU description disagrees with "
        "NVIDIA's.",
    ),
    (
        "wemedia_rubin_cooling",
        "WeMedia",
        "Il sistema di raffreddamento di Nvidia NVL72 costa 50.000 dollari",
        2025,
        "https://www.wemedia.it/news/il_sistema_di_raffreddamento_di_nvidia_nvl72_costa_50_000-11481.html",
        "secondary",
        "Italian summary of Morgan Stanley's cooling model: Rubin GPUs up to 1,800 W each in Vera Rubin NVL144.",
    ),
    (
        "techstories_vera_rubin_power",
        "Techstories (Paul Mah)",
        "What it takes to support Nvidia's Vera Rubin GPU",
        2025,
        "https://www.techstories.co/what-it-takes-to-support-nvidias-vera-rubin-gpu",
        "secondary",
        "120-130 kW per rack for Vera Rubin NVL72, 190 kW for the NVL144, 370 kW for NVL144 CPX, 600 kW for Rubin "
        "Ultra.",
    ),
    (
        "linkcentre_vera_rubin",
        "Linkcentre",
        "Vera Rubin: Nvidia's upcoming AI platform",
        2026,
        "https://www.linkcentre.com/news/vera-rubin-nvidias-upcoming-ai-platform/",
        "secondary",
        "Vera Rubin rack: 72 Rubin GPUs and 36 Vera CPUs; fully liquid-cooled.",
    ),
    (
        "servethehome_mi350",
        "ServeTheHome",
        "AMD MI350 and CDNA 4 Architecture Launched with ROCm 7",
        2025,
        "https://www.servethehome.com/amd-mi350-and-cdna-4-architecture-launched-with-rocm-7/",
        "secondary",
        "MI350 platforms use the 8-GPU OAM UBB; MI350X air-cooled and MI355X liquid-cooled platforms.",
    ),
    (
        "afd_model_platform_power",
        "AI Factory Dashboard (this project)",
        "Model: 8-GPU platform power without a published figure",
        2026,
        f"{README}#model-platform-power",
        "model",
        "System power = 8 x GPU maximum + host overhead of the NVIDIA DGX of the same class.",
    ),
]
# Climate: the bundled typical years, the plant model, and the published figures it is checked against
# (data/weather/stations.csv, data/weather/published_figures.csv).
SOURCES += [
    (
        "nrel_tmy3",
        "National Renewable Energy Laboratory",
        "TMY3 typical meteorological years (Wilcox and Marion, NREL/TP-581-43156), as shipped in pvlib-python 0.16.1",
        2008,
        "https://github.com/pvlib/pvlib-python/tree/main/pvlib/data",
        "secondary",
        "Hourly dry bulb, dew point, RH and pressure of USAF 723170 (Greensboro, NC) and 703165 (Sand Point, AK); "
        "read in pvlib's copies (723170TYA.CSV, 703165TY.csv), redistributed with pvlib's BSD-3 licence "
        "(data/weather/LICENSE-pvlib.txt).",
    ),
    (
        "nrel_tmy2",
        "National Renewable Energy Laboratory",
        "TMY2 typical meteorological years (Marion and Urban, User's Manual for TMY2s), in pvlib-python 0.16.1",
        1995,
        "https://github.com/pvlib/pvlib-python/tree/main/pvlib/data",
        "secondary",
        "Hourly weather of WBAN 12839 (Miami, FL), source months 1961-1990; read in pvlib's copy (12839.tm2).",
    ),
    (
        "model_climate_plant",
        "AI Factory Dashboard",
        "Model: hourly cooling plant (six architectures)",
        2026,
        f"{README}#model-climate-plant",
        "model",
        "Chillers at a fraction of Carnot with a part-load rule, fans and pumps per kW, towers, dry coolers, "
        "UPS and distribution; every coefficient with its range in factorycore/cooling_plant.py.",
    ),
    (
        "ashrae_2009_miami_design",
        "ASHRAE",
        "Handbook -- Fundamentals 2009, climatic design conditions, Miami Intl Ap (WMO 722020), as reprinted in "
        "EnergyPlus's design-day file",
        2009,
        "https://github.com/NREL/EnergyPlus/blob/develop/weather/USA_FL_Miami.Intl.AP.722020_TMY3.ddy",
        "secondary",
        "The file says 'Data Source=ASHRAE 2009 Annual Design Conditions'; the Handbook itself was not read.",
    ),
    (
        "ahri_cec_chiller_2011",
        "AHRI",
        "Comments to the California Energy Commission on Table 110.2-D, water chilling packages minimum efficiency "
        "(ASHRAE 90.1 table)",
        2011,
        "https://id.scribd.com/document/359933676/Water-Chilling",
        "secondary",
        "AHRI's letter of 31 October 2011 reproducing the ASHRAE 90.1 Path A minimums; read in a copy on scribd.",
    ),
    (
        "cnbc_google_pue_2022",
        "CNBC",
        "Google data center goal: 100% green energy by 2030 (13 April 2022)",
        2022,
        "https://www.cnbc.com/2022/04/13/google-data-center-goal-100percent-green-energy-by-2030.html",
        "secondary",
        "Reports Google's fleet PUE of 1.1 for Q2 2021; Google's own efficiency page was not read.",
    ),
    (
        "meta_sustainability_data_centers",
        "Meta",
        "Sustainability: Data centers",
        2022,
        "https://sustainability.fb.com/data-centers/",
        "secondary",
        "PUE 1.09 and WUE 0.26 of the data-center buildings Meta completed in 2021; the sentence was read in the "
        "project's stored copy of the page, not on the live site.",
    ),
    (
        "dck_lbnl_water_2016",
        "Data Center Knowledge",
        "Here's How Much Water All US Data Centers Consume (summary of LBNL's 2016 US data center energy report)",
        2016,
        "https://www.datacenterknowledge.com/business/here-s-how-much-water-all-us-data-centers-consume",
        "secondary",
        "LBNL (Shehabi et al. 2016) average of 1.8 L of on-site water per kWh; the LBNL report was not read.",
    ),
]
SOURCES += [
    (
        "mlperf_v41_nvidia_dgx_h100",
        "MLCommons",
        "MLPerf Inference v4.1 results (closed, datacenter): NVIDIA DGX H100 (8x H100-SXM-80GB, TensorRT)",
        2024,
        "https://github.com/mlcommons/inference_results_v4.1/tree/main/closed/NVIDIA/results/DGX-H100_H100-SXM-80GBx8"
        "_TRT",
        "firm",
        "Submitted by NVIDIA; LoadGen mlperf_log_summary.txt files of llama2-70b-99.9 Offline and Server, "
        "'Result is : VALID'. System file: 8 x H100-SXM-80GB, 2 x Xeon Platinum 8480C, air-cooled.",
    ),
    (
        "mlperf_v51_nvidia_gb200_nvl72",
        "MLCommons",
        "MLPerf Inference v5.1 results (closed, datacenter): NVIDIA 72x GB200-186GB_aarch64 (GB200 NVL72, TensorRT)",
        2025,
        "https://github.com/ykamiset/inference_results_v5.1/tree/main/closed/NVIDIA/results/GB200-NVL72_GB200-186GB_a"
        "arch64x72_TRT",
        "secondary",
        "Read in a fork of mlcommons/inference_results_v5.1 (the official repository was not readable here); "
        "its results page says 'MLPerf Inference v5.1', 'Submitted by: NVIDIA', division closed, category datacenter. "
        "LoadGen summaries of llama3.1-405b Offline and Server, 'Result is : VALID'.",
    ),
    (
        "mlperf_v51_nvidia_gb300_nvl72",
        "MLCommons",
        "MLPerf Inference v5.1 results (closed, datacenter): NVIDIA 72x GB300-288GB_aarch64 (GB300 NVL72, TensorRT)",
        2025,
        "https://github.com/ykamiset/inference_results_v5.1/tree/main/closed/NVIDIA/results/GB300-NVL72_GB300-288GB_a"
        "arch64x72_TRT",
        "secondary",
        "Read in a fork of mlcommons/inference_results_v5.1; LoadGen summaries of llama3.1-405b Offline and "
        "Server, 'Result is : VALID'.",
    ),
    (
        "mlperf_v51_nvidia_b200x8",
        "MLCommons",
        "MLPerf Inference v5.1 results (closed, datacenter): NVIDIA B200-SXM-180GBx8 (TensorRT)",
        2025,
        "https://github.com/ntuhpc/inference_results_v5.1/blob/main/closed/NVIDIA/results/B200-SXM-180GBx8_TRT/README"
        ".md",
        "secondary",
        "Read in a fork of mlcommons/inference_results_v5.1: the system's results page ('Submitted by: "
        "NVIDIA', closed, datacenter; 8 x NVIDIA B200-SXM-180GB, 2 x Xeon Platinum 8570, air-cooled, 'B200 TGP 1000W') "
        "and its Results Table in tokens/s.",
    ),
]
SOURCES += COMPLIANCE_SOURCES  # data-centre reporting rules (data/compliance_rules.py)
SOURCE_IDS = {s[0] for s in SOURCES}

# The day each source's quoted words were last read with the project's search tool, at the row's
# seen_at (its url when the row names no other page). Every reported row carries its source's date.
READ_ON: dict[str, str] = {
    **dict.fromkeys(
        (
            "uptime_gdcs_2018",
            "uptime_gdcs_2020",
            "uptime_gdcs_2021",
            "uptime_gdcs_2024",
            "uptime_update_495_2026",
            "uptime_cooling_2025",
            "afcom_sotdc_2021",
            "afcom_sotdc_2024",
            "afcom_sotdc_2025",
            "afcom_sotdc_2026",
            "afcom_sotdc_2026_cooling",
            "jll_dc_outlook_2024",
            "jll_dc_outlook_2025",
            "schneider_nvl72_132kw",
            "press_gb200_nvl72_120kw",
            "lbnl_2024_energy_report",
            "lbnl_2024_energy_report_rto",
            "iea_energy_ai_2025",
            "iea_energy_ai_2025_regions",
            "iea_energy_ai_2025_growth",
            "iea_key_questions_2026",
            "nvidia_dgx_a100_guide",
            "nvidia_dgx_h100_guide",
            "nvidia_superpod_b300_ra",
            "nvidia_superpod_gb200_ra",
            "nvidia_dps_device_specs",
            "nvidia_mission_control_powershelf",
            "nvidia_nvl72_ai_factory_ra",
            "nvidia_h100_pcie_brief",
            "supermicro_gb300_nvl72",
            "morgan_stanley_gb300_cooling",
            "press_gb300_nvl72",
            "runpod_h100_power",
            "supercluster_dgx_h100_power",
            "yobitel_mi325x",
            "google_tpu_v4_docs",
            "techstories_vera_rubin_power",
            "tomshardware_rubin_ultra_2025",
            "mlperf_v41_nvidia_dgx_h100",
            "mlperf_v41_nvidia_h200",
            "mlperf_v6_nebius_b200",
            "mlperf_v51_nvidia_gb200_nvl72",
            "mlperf_v51_nvidia_gb300_nvl72",
            "mlperf_v51_nvidia_b200x8",
            "dell_genai_inference_guide",
            "meterpreter_mi300x",
            "tomshardware_mi355x",
            "wemedia_rubin_cooling",
            "press_dgx_blackwell_power",
        ),
        "2026-12-06",
    ),
    **COMPLIANCE_READ_ON,
}
SOURCE_URLS = {s[0]: s[4] for s in SOURCES}


def with_evidence(table: str, rows: list[dict]) -> list[dict]:
    """Every reported row names where its quote was read (``seen_at``, the source's url when no other
    page) and the day it was read (appended to ``note``); a reported row without both fails the build."""
    for row in rows:
        if row.get("status") != "reported":
            continue
        src = row["source_id"]
        if src not in READ_ON:
            raise ValueError(f"{table}: reported row of {src} has no reading date (READ_ON)")
        if not row.get("quote"):
            raise ValueError(f"{table}: reported row of {src} has no quote")
        row["seen_at"] = row.get("seen_at") or SOURCE_URLS[src]
        note = str(row.get("note") or "").rstrip()
        row["note"] = (note + " " if note else "") + f"Read {READ_ON[src]}."
    return rows


# --------------------------------------------------------------------------------------
# Hardware: the ledger of published power figures (hardware_power) and the catalog
# (hardware) whose power_kw is the ledger's sizing figure at the maximum basis.
# --------------------------------------------------------------------------------------
POWER_BASES = ("maximum", "typical", "measured", "rated_capacity")
# Carriers that may appear in the ledger as published figures but never size a fleet: community pages,
# blogs and resellers' summaries. A sizing figure comes from a vendor or OEM (their page, or press
# reporting their own statement); tests/test_evidence.py checks it.
WEAK_CARRIERS = frozenset(
    {"hf_hardware_a100", "hf_hardware_b300", "runpod_h100_power", "supercluster_dgx_h100_power", "press_gb300_nvl72"}
)
TABLE_CELL = "Table cell"

# Host overhead of an 8-GPU baseboard server = DGX system maximum - 8 x its GPU maximum
# (afd_model_platform_power): DGX H100 10.2 - 8 x 0.70 = 4.6 kW; DGX B200 14.3 - 8 x 1.0 = 6.3 kW.
HOST_OVERHEAD_KW = {"h100_class": round(10.2 - 8 * 0.70, 2), "b200_class": round(14.3 - 8 * 1.0, 2)}


def _platform_model_kw(gpu_kw: float, host_class: str) -> float:
    return round(8 * gpu_kw + HOST_OVERHEAD_KW[host_class], 2)


DELL_TDP_ROW = "Max thermal design power (TDP) | 700 W | 350 W"
SCHNEIDER_132_QUOTE = "the latest Nvidia GPU servers require 132 kilowatts of power when fully loaded into a rack"
HOTCHIPS_120_QUOTE = "One rack chews through 120 kilowatts of juice"
TPU_V4_QUOTE = "Measured min/mean/max power | 90/170/192 W"
TPU_V4_NOTE = f"{TABLE_CELL}: Google's 'Key specifications' table for TPU v4, row 'Measured min/mean/max power'."

# One row per published figure: (hardware_id, basis, power_kw per unit (per GPU for an
# accelerator, per system for a system), scope, sizing, source_id, status, quote, seen_at, note).
# ``sizing`` marks the one figure per (hardware_id, basis) that sizes fleets at that basis;
# every other figure stays beside it, sourced. seen_at "" means the source's url.
POWER_FIGURES = [
    # Accelerators (per GPU package).
    (
        "a100_sxm",
        "maximum",
        0.4,
        "GPU board (SXM4)",
        True,
        "hf_hardware_a100",
        "unverified",
        "Power 400W",
        "",
        f"{TABLE_CELL}: Hugging Face's community hardware page, spec list, label 'Power'. No NVIDIA or "
        "OEM page for the A100 SXM4 TDP was found in the search corpora, so the figure is unverified; a count "
        "of A100s is sized as DGX A100 systems, not by this figure.",
    ),
    (
        "h100_sxm",
        "maximum",
        0.7,
        "GPU (SXM5), maximum TDP",
        True,
        "dell_genai_inference_guide",
        "reported",
        DELL_TDP_ROW,
        "",
        f"{TABLE_CELL}: Dell's GPU table, row 'Max thermal design power (TDP)', column H100 SXM (PowerEdge XE9680).",
    ),
    (
        "h100_sxm",
        "maximum",
        0.7,
        "GPU (SXM5), TDP",
        False,
        "runpod_h100_power",
        "reported",
        "NVIDIA H100 SXM (Data Center Version): Up to 700 Watts (Thermal Design Power - TDP)",
        "",
        "A cloud provider's FAQ; agrees with Dell's table (the sizing figure).",
    ),
    (
        "h100_pcie",
        "maximum",
        0.35,
        "PCIe card, maximum TDP",
        True,
        "nvidia_h100_pcie_brief",
        "reported",
        "operates unconstrained up to its maximum thermal design power (TDP) level of 350 W",
        "",
        "",
    ),
    (
        "h100_pcie",
        "maximum",
        0.35,
        "PCIe card, maximum TDP",
        False,
        "dell_genai_inference_guide",
        "reported",
        DELL_TDP_ROW,
        "",
        f"{TABLE_CELL}: Dell's GPU table, row 'Max thermal design power (TDP)', column H100 PCIe.",
    ),
    (
        "h200_sxm",
        "maximum",
        0.7,
        "GPU (SXM), TGP",
        True,
        "mlperf_v41_nvidia_h200",
        "reported",
        "H200 TGP 700W",
        "",
        f"{TABLE_CELL}: NVIDIA's MLPerf Inference v4.1 system description, field hw_notes.",
    ),
    (
        "b200",
        "maximum",
        1.0,
        "GPU (SXM) in an air-cooled HGX B200 node, TGP",
        True,
        "mlperf_v6_nebius_b200",
        "reported",
        "B200 TGP 1000W",
        "",
        f"{TABLE_CELL}: Nebius's MLPerf Inference v6.0 system description, field hw_notes.",
    ),
    (
        "b300",
        "maximum",
        1.4,
        "GPU (SXM)",
        True,
        "hf_hardware_b300",
        "unverified",
        "Power 1400W",
        "",
        f"{TABLE_CELL}: Hugging Face's community page, spec list, label 'Power': the Blackwell Ultra figure "
        "of the GB300 configuration; no NVIDIA or OEM figure for the B300 in an HGX server was found in the "
        "search corpora, so it is unverified. B300 counts are sized as DGX B300 systems, not by this figure.",
    ),
    (
        "gb200",
        "maximum",
        1.2,
        "B200 GPU in a GB200 compute tray, maximum settable power",
        True,
        "nvidia_dps_device_specs",
        "reported",
        "maxLoadWatts: 1200",
        "",
        f"{TABLE_CELL}: NVIDIA DPS shipped registry, entry 'NVIDIA GB200 GPU' (model GB200), field maxLoadWatts.",
    ),
    (
        "gb300",
        "maximum",
        1.4,
        "Blackwell Ultra GPU in a GB300 NVL72",
        True,
        "morgan_stanley_gb300_cooling",
        "reported",
        "Each Blackwell Ultra chip is rated at 1,400 W thermal design power",
        "",
        "Morgan Stanley's figure as summarised in press; GB300 counts are sized as NVL72 racks (NVIDIA's 142 kW).",
    ),
    (
        "rubin",
        "maximum",
        1.8,
        "Rubin GPU (announced), TDP",
        True,
        "wemedia_rubin_cooling",
        "reported",
        "le Rubin GPUs fino a 1,800W per unità",
        "",
        "Italian press summary of Morgan Stanley's cooling model; announced part.",
    ),
    (
        "mi250x",
        "maximum",
        0.56,
        "OAM module",
        True,
        "meterpreter_mi300x",
        "reported",
        "the 560W of the preceding CDNA2 architecture’s MI250X",
        "",
        "",
    ),
    (
        "mi300x",
        "maximum",
        0.75,
        "OAM module",
        True,
        "meterpreter_mi300x",
        "reported",
        "a single OAM module draws a whopping 750W",
        "",
        "",
    ),
    (
        "mi325x",
        "maximum",
        1.0,
        "OAM module",
        True,
        "yobitel_mi325x",
        "reported",
        "TDP | ~1,000 W | 750 W",
        "",
        f"{TABLE_CELL}: Yobitel's 'Specifications vs MI300X' table, row TDP, columns MI325X and MI300X.",
    ),
    (
        "mi350x",
        "maximum",
        1.0,
        "module, air-cooled",
        True,
        "tomshardware_mi355x",
        "reported",
        "the default Instinct MI350X module with a 1000W power consumption designed for air cooling",
        "",
        "",
    ),
    (
        "mi355x",
        "maximum",
        1.4,
        "module, liquid-cooled",
        True,
        "tomshardware_mi355x",
        "reported",
        "the higher-performance Instinct MI355X that will consume up to 1400W",
        "",
        "",
    ),
    (
        "tpu_v4",
        "maximum",
        0.192,
        "chip, measured maximum",
        True,
        "google_tpu_v4_docs",
        "reported",
        TPU_V4_QUOTE,
        "",
        TPU_V4_NOTE,
    ),
    (
        "tpu_v4",
        "measured",
        0.17,
        "chip, measured mean",
        True,
        "google_tpu_v4_docs",
        "reported",
        TPU_V4_QUOTE,
        "",
        TPU_V4_NOTE,
    ),
    # NVIDIA DGX and HGX 8-GPU servers (per system).
    (
        "dgx_a100",
        "maximum",
        6.5,
        "system input",
        True,
        "nvidia_dgx_a100_guide",
        "reported",
        "Максимальное энергопотребление достигает 6500 Вт",
        "",
        "pcnews.ru summary of NVIDIA's DGX A100 documentation (Russian: maximum power consumption reaches 6500 W).",
    ),
    (
        "dgx_a100",
        "rated_capacity",
        18.0,
        "power supplies, total rating",
        False,
        "nvidia_dgx_a100_guide",
        "derived",
        "предусмотрено шесть блоков по 3 кВт, половина из которых резервные",
        "",
        "6 PSUs x 3 kW = 18.0 kW installed, half of them redundant (nameplate of the supplies, not a draw).",
    ),
    (
        "dgx_h100",
        "maximum",
        10.2,
        "system input",
        True,
        "nvidia_dgx_h100_guide",
        "reported",
        "Maximum input specification for the system is 10.2 kW.",
        "",
        "",
    ),
    (
        "dgx_h100",
        "typical",
        8.5,
        "system, typical range 6.5-8.5 kW (upper end)",
        False,
        "supercluster_dgx_h100_power",
        "reported",
        "Typical Power Consumption: Between 6.5 and 8.5 kW, varying based on workload intensity",
        "",
        "Upper end of the stated typical range. A blog, and it describes 4 x 3000 W supplies where NVIDIA lists "
        "6 x 3300 W: listed, never sizing. No NVIDIA typical figure was found, so the typical basis falls back to the "
        "maximum.",
    ),
    (
        "dgx_h100",
        "rated_capacity",
        19.8,
        "power supplies, total rating",
        False,
        "nvidia_dgx_h100_guide",
        "derived",
        "Each supply is rated at 3300 W @ 200-240 V, 16 A, 50-60 Hz.",
        "",
        "6 PSUs x 3.3 kW = 19.8 kW installed in a 4+2 redundant arrangement (nameplate of the supplies).",
    ),
    (
        "dgx_b200",
        "maximum",
        14.3,
        "system, estimated maximum",
        True,
        "press_dgx_blackwell_power",
        "reported",
        "NVIDIA’s deployment guidance lists estimated system power at 14.3 kW max",
        "",
        "thedailyscout.com summary citing NVIDIA's documentation; NVIDIA's DGX B200 user guide itself was not in the "
        "search corpora.",
    ),
    (
        "dgx_b200",
        "rated_capacity",
        19.8,
        "power supplies, total rating",
        False,
        "nvidia_dgx_b200_guide",
        "unverified",
        "Power supply 6 x 3.3 kW",
        "",
        "6 PSUs x 3.3 kW = 19.8 kW installed (nameplate of the supplies). Unverified: NVIDIA's DGX B200 user guide "
        "was not in the search corpora and no other readable page gives the supplies.",
    ),
    (
        "dgx_b300",
        "maximum",
        14.5,
        "system",
        True,
        "press_dgx_blackwell_power",
        "reported",
        "DGX B300 — the newer Blackwell Ultra system with eight B300 GPUs — is listed at 14.5 kW",
        "",
        "",
    ),
    (
        "dgx_b300",
        "maximum",
        14.0,
        "per system in NVIDIA's reference rack (56 kW / 4)",
        False,
        "nvidia_superpod_b300_ra",
        "derived",
        "four DGX B300 fit within a single rack. The rack-level power consumption per rack is ~56kW",
        "",
        "~56 kW / 4 systems = 14.0 kW per DGX B300 in the SuperPOD B300 reference rack.",
    ),
    (
        "hgx_h100_8gpu",
        "maximum",
        _platform_model_kw(0.70, "h100_class"),
        "system (modelled)",
        True,
        "afd_model_platform_power",
        "modelled",
        "",
        "",
        f"Modelled: 8 x 0.70 kW H100 SXM + {HOST_OVERHEAD_KW['h100_class']} kW host overhead of the DGX H100 "
        "(10.2 kW - 8 x 0.70 kW); no OEM figure recorded.",
    ),
    (
        "hgx_b200_8gpu",
        "maximum",
        _platform_model_kw(1.0, "b200_class"),
        "system (modelled)",
        True,
        "afd_model_platform_power",
        "modelled",
        "",
        "",
        f"Modelled: 8 x 1.00 kW B200 + {HOST_OVERHEAD_KW['b200_class']} kW host overhead of the DGX B200 "
        "(14.3 kW - 8 x 1.0 kW); no OEM figure recorded.",
    ),
    # AMD 8-GPU OAM (UBB) platforms: no published system power was found; modelled.
    (
        "mi300x_platform",
        "maximum",
        _platform_model_kw(0.75, "h100_class"),
        "system (modelled)",
        True,
        "afd_model_platform_power",
        "modelled",
        "",
        "",
        f"Modelled: 8 x 0.75 kW MI300X + {HOST_OVERHEAD_KW['h100_class']} kW host overhead (DGX H100 class); "
        "no published platform power found.",
    ),
    (
        "mi325x_platform",
        "maximum",
        _platform_model_kw(1.0, "b200_class"),
        "system (modelled)",
        True,
        "afd_model_platform_power",
        "modelled",
        "",
        "",
        f"Modelled: 8 x 1.0 kW MI325X + {HOST_OVERHEAD_KW['b200_class']} kW host overhead (DGX B200 class); "
        "no published platform power found.",
    ),
    (
        "mi350x_platform",
        "maximum",
        _platform_model_kw(1.0, "b200_class"),
        "system (modelled)",
        True,
        "afd_model_platform_power",
        "modelled",
        "",
        "",
        f"Modelled: 8 x 1.0 kW MI350X + {HOST_OVERHEAD_KW['b200_class']} kW host overhead (DGX B200 class); "
        "no published platform power found.",
    ),
    (
        "mi355x_platform",
        "maximum",
        _platform_model_kw(1.4, "b200_class"),
        "system (modelled)",
        True,
        "afd_model_platform_power",
        "modelled",
        "",
        "",
        f"Modelled: 8 x 1.4 kW MI355X + {HOST_OVERHEAD_KW['b200_class']} kW host overhead (DGX B200 class); "
        "no published platform power found. DGX B300's 14.5 kW with 8 x 1.4 kW GPUs implies only 3.3 kW, "
        "so this is conservative.",
    ),
    # Rack-scale systems (per rack).
    (
        "gb200_nvl72",
        "maximum",
        132.0,
        "rack, fully loaded",
        True,
        "schneider_nvl72_132kw",
        "reported",
        SCHNEIDER_132_QUOTE,
        "",
        "Schneider Electric's Steven Carlini as quoted by ComputeForecast; the GPU platform is not named (read as the "
        "GB200 NVL72, NVIDIA's rack shipping when he spoke).",
    ),
    (
        "gb200_nvl72",
        "maximum",
        150.0,
        "per rack of an 8-rack scalable unit, incl. its network share",
        False,
        "nvidia_superpod_gb200_ra",
        "derived",
        "Each SU requires a Thermal Design Power (TDP) of 1.2 Megawatts (MW).",
        "",
        "1.2 MW / 8 DGX GB200 rack systems per SU = 150 kW per rack, including the SU's networking and management.",
    ),
    (
        "gb200_nvl72",
        "maximum",
        120.0,
        "18 compute trays only (no switch trays, no shelf losses)",
        False,
        "nvidia_dps_device_specs",
        "derived",
        "maxLoadWatts: 6667",
        "",
        f"{TABLE_CELL}: NVIDIA DPS shipped registry, entry 'NVIDIA GB200 Compute Tray (Bianca)' (model DGX_GB200), "
        "field maxLoadWatts. 18 trays x 6.667 kW = 120.0 kW for the compute trays alone.",
    ),
    (
        "gb200_nvl72",
        "typical",
        120.0,
        "rack",
        True,
        "press_gb200_nvl72_120kw",
        "reported",
        HOTCHIPS_120_QUOTE,
        "",
        "NVIDIA's John Norton at Hot Chips 2025, as reported: a GB200 system's rack.",
    ),
    (
        "gb200_nvl72",
        "rated_capacity",
        264.0,
        "power shelves, total rating",
        False,
        "nvidia_mission_control_powershelf",
        "derived",
        "The reference design for an NVIDIA GB200 rack has 8 power shelves, and uses 6 PSUs in each power "
        "shelf. Each PSU is rated up to 5.5kW, so that each power shelf is rated up to 33kW.",
        "",
        "8 shelves x 33 kW = 264 kW of supply rating per rack (with redundancy), not a draw.",
    ),
    (
        "gb300_nvl72",
        "maximum",
        142.0,
        "rack, full rack (maximum)",
        True,
        "nvidia_nvl72_ai_factory_ra",
        "reported",
        "Full rack requiring up to 142 kW",
        "",
        "NVIDIA's Enterprise Reference Architecture for GB300 NVL72 racks.",
    ),
    (
        "gb300_nvl72",
        "typical",
        140.0,
        "rack, operating power (upper end of ~132-140 kW)",
        True,
        "supermicro_gb300_nvl72",
        "reported",
        "Operating power (typ.): ~132–140 kW per rack (Supermicro Blackwell solutions brochure).",
        "",
        "Supermicro's brochure as quoted by a reseller; upper end of the range, as for every typical range here.",
    ),
    (
        "gb300_nvl72",
        "typical",
        120.0,
        "rack",
        False,
        "press_gb300_nvl72",
        "reported",
        "a liquid-cooled, rack-scale unit that draws approximately 120 kW",
        "",
        "Introl's deployment blog (a page with factual errors): listed, never sizing.",
    ),
    (
        "gb300_nvl72",
        "rated_capacity",
        132.0,
        "power shelves, DC output",
        False,
        "press_gb300_nvl72",
        "reported",
        "132 kW total DC output",
        "",
        f"{TABLE_CELL}: Introl's rack table, row Power shelves (count 8), column Key spec (citing Supermicro 2025).",
    ),
    (
        "vera_rubin_nvl144",
        "maximum",
        190.0,
        "rack (announced)",
        True,
        "techstories_vera_rubin_power",
        "reported",
        "190kW for the NVL144",
        "",
        "Announced platform: power requirement per rack as reported by trade press.",
    ),
    (
        "rubin_ultra_nvl576",
        "maximum",
        600.0,
        "rack (announced)",
        True,
        "tomshardware_rubin_ultra_2025",
        "reported",
        "GPU servers that are so powerful that they consume up to 600kW per rack",
        "",
        "Announced platform (GTC 2025); Jensen Huang confirmed the figure in a question-and-answer session.",
    ),
]


# Derived ledger figures combine numbers their source prints (supply counts and ratings,
# a scalable unit's total over its racks): the arithmetic on those quoted figures, in kW.
LEDGER_FORMULAS: dict[tuple[str, str, str], str] = {
    ("dgx_a100", "rated_capacity", "nvidia_dgx_a100_guide"): "6 * 3",
    ("dgx_h100", "rated_capacity", "nvidia_dgx_h100_guide"): "6 * 3300 / 1000",
    ("dgx_b300", "maximum", "nvidia_superpod_b300_ra"): "56 / 4",
    ("gb200_nvl72", "maximum", "nvidia_superpod_gb200_ra"): "1.2 * 1000 / 8",
    ("gb200_nvl72", "maximum", "nvidia_dps_device_specs"): "18 * 6667 / 1000",
    ("gb200_nvl72", "rated_capacity", "nvidia_mission_control_powershelf"): "8 * 33",
}


def power_figure_rows() -> list[dict]:
    """The hardware_power ledger, checked: one sizing figure per (id, basis), every figure quoted or a model."""
    urls = {s[0]: s[4] for s in SOURCES}
    rows, sizing = [], set()
    for hw_id, basis, kw, scope, is_sizing, src, status, quote, seen_at, note in POWER_FIGURES:
        if basis not in POWER_BASES:
            raise ValueError(f"hardware_power {hw_id}: unknown basis {basis}")
        if status != "modelled" and not quote:
            raise ValueError(f"hardware_power {hw_id} {basis} ({src}): a published figure needs its quote")
        if is_sizing and src in WEAK_CARRIERS and status != "unverified":
            raise ValueError(f"hardware_power {hw_id} {basis}: {src} (a blog or community page) cannot size a fleet")
        if is_sizing:
            if (hw_id, basis) in sizing:
                raise ValueError(f"hardware_power {hw_id} {basis}: two sizing figures")
            sizing.add((hw_id, basis))
        formula = LEDGER_FORMULAS.get((hw_id, basis, src))
        if (status == "derived") != (formula is not None):
            raise ValueError(f"hardware_power {hw_id} {basis} ({src}): a derived figure, and only one, has a formula")
        rows.append(
            dict(
                hardware_id=hw_id,
                basis=basis,
                power_kw=float(kw),
                scope=scope,
                sizing=is_sizing,
                source_id=src,
                status=status,
                quote=quote,
                seen_at=seen_at if seen_at and seen_at != urls.get(src) else None,
                note=note,
                formula=formula,
            )
        )
    return rows


def sizing_figure(hw_id: str, basis: str = "maximum") -> tuple:
    """The ledger row that sizes ``hw_id`` at ``basis`` (the catalog's power_kw at maximum)."""
    for row in POWER_FIGURES:
        if row[0] == hw_id and row[1] == basis and row[4]:
            return row
    raise KeyError(f"no sizing figure for {hw_id} at {basis}")


def hardware_rows() -> list[dict]:
    rows = []

    def add(id_, kind, vendor, name, year, n, cooling, rack_kw, platform, availability, note):
        _, _, kw, _, _, src, status, quote, seen_at, _ = sizing_figure(id_, "maximum")
        # The catalog's power is its sizing ledger figure: the same words and page as evidence.
        rows.append(
            dict(
                id=id_,
                kind=kind,
                vendor=vendor,
                name=name,
                year=year,
                accelerators=n,
                power_kw=kw,
                power_basis="maximum",
                cooling=cooling,
                default_rack_kw=rack_kw,
                platform=platform,
                availability=availability,
                source_id=src,
                status=status,
                note=note,
                quote=quote or None,
                seen_at=seen_at or None,
            )
        )

    def acc(id_, vendor, name, year, cooling, platform, note, availability="shipping"):
        add(id_, "accelerator", vendor, name, year, 1, cooling, None, platform, availability, note)

    acc(
        "a100_sxm",
        "NVIDIA",
        "A100 SXM4",
        2020,
        "air_or_liquid",
        "dgx_a100",
        "400 W (unverified: a community page). Ships in 8-GPU HGX/DGX A100 servers (sized as DGX A100).",
    )
    acc(
        "h100_sxm",
        "NVIDIA",
        "H100 SXM5",
        2022,
        "air_or_liquid",
        "dgx_h100",
        "700 W maximum TDP. Ships in 8-GPU HGX/DGX H100 servers (sized as DGX H100).",
    )
    acc(
        "h100_pcie",
        "NVIDIA",
        "H100 PCIe",
        2022,
        "air",
        "",
        "Maximum TDP 350 W, passive heat sink cooled by system airflow. PCIe servers vary: no platform, so it is "
        "not sized by accelerator count.",
    )
    acc(
        "h200_sxm",
        "NVIDIA",
        "H200 SXM",
        2024,
        "air_or_liquid",
        "dgx_h100",
        "TGP 700 W (NVIDIA's MLPerf Inference v4.1 system description). Ships in the DGX H200 (the DGX H100/H200 row).",
    )
    acc(
        "b200",
        "NVIDIA",
        "B200 (HGX)",
        2024,
        "air_or_liquid",
        "dgx_b200",
        "TGP 1000 W in an air-cooled HGX B200 node; the GB200 configuration is the gb200 row.",
    )
    acc(
        "b300",
        "NVIDIA",
        "B300 (Blackwell Ultra, HGX)",
        2025,
        "air_or_liquid",
        "dgx_b300",
        "1400 W (unverified: a community page giving the GB300 figure). Ships in 8-GPU HGX/DGX B300 servers (sized as "
        "DGX B300).",
    )
    acc(
        "gb200",
        "NVIDIA",
        "B200 GPU in GB200 (Grace Blackwell superchip: 1 Grace + 2 GPUs)",
        2024,
        "liquid",
        "gb200_nvl72",
        "1200 W maximum per GPU (NVIDIA DPS). Counted per GPU: a GB200 superchip is 2 of them. "
        "Ships in GB200 NVL72 racks of 72 GPUs.",
    )
    acc(
        "gb300",
        "NVIDIA",
        "B300 GPU in GB300 (Grace Blackwell Ultra superchip)",
        2025,
        "liquid",
        "gb300_nvl72",
        "1.4 kW per GPU (Morgan Stanley, in press). Counted per GPU. Ships in GB300 NVL72 racks of 72 GPUs.",
    )
    acc(
        "rubin",
        "NVIDIA",
        "Rubin GPU (Vera Rubin superchip)",
        2026,
        "liquid",
        "vera_rubin_nvl144",
        "announced: up to 1.8 kW per GPU (press, Morgan Stanley model). Ships in Vera Rubin NVL144 racks.",
        availability="announced",
    )
    acc(
        "mi250x",
        "AMD",
        "Instinct MI250X (OAM)",
        2021,
        "air_or_liquid",
        "",
        "560 W OAM. No platform with a published or modelled power in the catalog: not sized by count.",
    )
    acc("mi300x", "AMD", "Instinct MI300X (OAM)", 2023, "air_or_liquid", "mi300x_platform", "750 W OAM.")
    acc("mi325x", "AMD", "Instinct MI325X (OAM)", 2024, "air_or_liquid", "mi325x_platform", "~1000 W.")
    acc("mi350x", "AMD", "Instinct MI350X", 2025, "air", "mi350x_platform", "1000 W module designed for air cooling.")
    acc(
        "mi355x",
        "AMD",
        "Instinct MI355X",
        2025,
        "liquid",
        "mi355x_platform",
        "Up to 1400 W, designed primarily for direct liquid cooling (some air-cooled deployments possible).",
    )
    acc(
        "tpu_v4",
        "Google",
        "Cloud TPU v4 chip",
        2021,
        "liquid",
        "",
        "Measured max 192 W per chip (mean 170 W). Cooling: TPU v4 pods are liquid-cooled (not stated on the cited "
        "page). Sold only as a cloud service: no platform, not sized by count.",
    )

    def sys_(id_, vendor, name, year, n, cooling, rack_kw, note, availability="shipping"):
        add(id_, "system", vendor, name, year, n, cooling, rack_kw, "", availability, note)

    sys_(
        "dgx_a100",
        "NVIDIA",
        "DGX A100",
        2020,
        8,
        "air",
        26.0,
        "6.5 kW max. default_rack_kw derived: 4 systems per rack x 6.5 kW = 26.0 kW (4 per rack as in NVIDIA's "
        "DGX SuperPOD B300 layout; no A100 reference layout was found in the search corpora).",
    )
    sys_(
        "dgx_h100",
        "NVIDIA",
        "DGX H100/H200",
        2022,
        8,
        "air",
        40.8,
        "10.2 kW max. default_rack_kw derived: 4 systems per rack x 10.2 kW = 40.8 kW.",
    )
    sys_(
        "dgx_b200",
        "NVIDIA",
        "DGX B200",
        2024,
        8,
        "air",
        28.6,
        "14.3 kW max. default_rack_kw derived: 2 systems per rack x 14.3 kW = 28.6 kW, matching the SuperPOD B200 "
        "reference architecture's example rack of more than 25 kW (nvidia_superpod_b200_ra).",
    )
    sys_(
        "dgx_b300",
        "NVIDIA",
        "DGX B300",
        2025,
        8,
        "air",
        56.0,
        "14.5 kW. default_rack_kw: NVIDIA's SuperPOD B300 reference rack of four DGX B300, '~56kW' "
        "(nvidia_superpod_b300_ra), NVIDIA's own figure for the same four systems.",
    )
    h100_kw, b200_kw = sizing_figure("hgx_h100_8gpu")[2], sizing_figure("hgx_b200_8gpu")[2]
    sys_(
        "hgx_h100_8gpu",
        "OEM",
        "HGX H100 8-GPU server",
        2023,
        8,
        "air",
        round(4 * h100_kw, 1),
        f"Modelled (8 x GPU + DGX host overhead) = {h100_kw:g} kW. Rack: 4 servers x {h100_kw:g} kW.",
    )
    sys_(
        "hgx_b200_8gpu",
        "OEM",
        "HGX B200 8-GPU server",
        2024,
        8,
        "air_or_liquid",
        round(2 * b200_kw, 1),
        f"Modelled (8 x GPU + DGX host overhead) = {b200_kw:g} kW. Rack: 2 servers x {b200_kw:g} kW as in the "
        "DGX B200 reference layout.",
    )
    for gpu, name, year, cooling, per_rack in (
        ("mi300x", "Instinct MI300X platform (8 x OAM)", 2023, "air_or_liquid", 4),
        ("mi325x", "Instinct MI325X platform (8 x OAM)", 2024, "air_or_liquid", 2),
        ("mi350x", "Instinct MI350X platform (8 x OAM, air-cooled)", 2025, "air", 2),
        ("mi355x", "Instinct MI355X platform (8 x OAM, liquid-cooled)", 2025, "liquid", 4),
    ):
        kw = sizing_figure(f"{gpu}_platform")[2]
        sys_(
            f"{gpu}_platform",
            "AMD/OEM",
            name,
            year,
            8,
            cooling,
            round(per_rack * kw, 1),
            f"Modelled system power {kw:g} kW (8 x GPU + DGX-class host overhead). Rack: {per_rack} per rack "
            f"(project assumption, as for the DGX of the same power class). "
            + (
                "ServeTheHome: 'MI350X air-cooled and MI355X liquid-cooled platforms' (servethehome_mi350)."
                if gpu in ("mi350x", "mi355x")
                else ""
            ),
        )
    sys_(
        "gb200_nvl72",
        "NVIDIA",
        "GB200 NVL72",
        2024,
        72,
        "liquid",
        132.0,
        "132 kW fully loaded (Schneider Electric); 120 kW typical and other figures in hardware_power. "
        "36 GB200 superchips = 72 GPUs. One rack = one system.",
    )
    sys_(
        "gb300_nvl72",
        "NVIDIA",
        "GB300 NVL72",
        2025,
        72,
        "liquid",
        142.0,
        "Full rack up to 142 kW (NVIDIA's NVL72 AI Factory reference architecture); ~132-140 kW operating power "
        "(Supermicro) and other figures in hardware_power. One rack = one system.",
    )
    sys_(
        "vera_rubin_nvl144",
        "NVIDIA",
        "Vera Rubin NVL144",
        2026,
        72,
        "liquid",
        190.0,
        "announced: 2026; 190 kW per rack (trade press). 72 Rubin GPU packages and 36 Vera CPUs "
        "(linkcentre_vera_rubin); "
        "NVIDIA's '144' counts GPU dies. One rack = one system.",
        availability="announced",
    )
    sys_(
        "rubin_ultra_nvl576",
        "NVIDIA",
        "Vera Rubin Ultra NVL576 (Kyber rack)",
        2027,
        576,
        "liquid",
        600.0,
        "announced: GTC 2025 roadmap, 2H 2027; up to 600 kW per rack. '576' is NVIDIA's count (not re-checked "
        "whether it counts dies or packages). Not shipping; do not use as installed base.",
        availability="announced",
    )
    ids = {r["id"] for r in rows}
    for row in rows:
        if row["platform"] and row["platform"] not in ids:
            raise ValueError(f"hardware {row['id']}: platform {row['platform']} is not in the catalog")
    for row in POWER_FIGURES:
        if row[0] not in ids:
            raise ValueError(f"hardware_power: {row[0]} is not in the catalog")
    return rows


# --------------------------------------------------------------------------------------
# Density anchors: reported figures the rack models are fitted to (or checked against)
# that are not themselves a value of a rack_density series. Each carries its quote.
# basis says what a share or mean is taken over: sites, racks, or survey respondents.
# --------------------------------------------------------------------------------------
JLL_36_50_QUOTE = (
    "driving up power density at the rack level from an average of 36 kilowatts( kW) in 2023 "
    "to a projected 50 kW by 2027"
)
DENSITY_ANCHORS = [
    # year, measure, basis, value, value_max, unit, source_id, quote, note
    (
        2018,
        "sites_densest_rack_ge_30kw",
        "sites",
        20.0,
        None,
        "% of sites",
        "uptime_gdcs_2018",
        "about 20% of respondents said their highest density was 30kW or more",
        "Share of surveyed sites whose densest rack is 30 kW or more; not a share of racks.",
    ),
    (
        2018,
        "sites_densest_rack_gt_50kw",
        "sites",
        5.0,
        None,
        "% of sites",
        "uptime_gdcs_2018",
        "One out of twenty data centers even reported numbers above 50kW per rack",
        "One in twenty = 5% of surveyed sites have a rack above 50 kW; not a share of racks.",
    ),
    (
        2021,
        "sites_modal_below_5kw",
        "sites",
        34.0,
        None,
        "% of sites",
        "uptime_gdcs_2021",
        "More than one-third of respondents stated their most common rack density is currently below 5kW",
        "'More than one-third' read as 34%. Share of sites by their most common (modal) rack density.",
    ),
    (
        2021,
        "sites_modal_5_to_10kw",
        "sites",
        48.0,
        None,
        "% of sites",
        "uptime_gdcs_2021",
        "nearly half reported between five and 10kW",
        "'Nearly half' read as 48%. Share of sites by their most common (modal) rack density.",
    ),
    (
        2024,
        "mean_rack_kw",
        "sites",
        8.0,
        10.0,
        "kW/rack",
        "uptime_gdcs_2024",
        "The average density of server racks has shown an increase, although it still remains below 8-10 kW",
        "An upper range, not a point: the average is below 8-10 kW.",
    ),
    (
        2025,
        "sites_modal_above_10kw",
        "sites",
        26.0,
        None,
        "% of sites",
        "uptime_update_495_2026",
        "Typical (modal) rack densities are now shifting toward 10 kW with more than a quarter of operators reporting "
        "densities above this threshold",
        "'More than a quarter' read as 26%; refers to the Uptime Global Data Center Survey 2025.",
    ),
    (
        2023,
        "hyperscale_mean_rack_kw",
        "racks",
        36.0,
        None,
        "kW/rack",
        "jll_dc_outlook_2024",
        JLL_36_50_QUOTE,
        "The JLL newsletter summary (the source's url) was not in the search corpora; Data Centre Magazine gives "
        "the same pair, 36 kW in 2023 to 50 kW by 2027, without naming JLL, IDC or the hyperscale segment.",
    ),
    (
        2027,
        "hyperscale_mean_rack_kw",
        "racks",
        50.0,
        None,
        "kW/rack",
        "jll_dc_outlook_2024",
        JLL_36_50_QUOTE,
        "A forecast, kept as a target of the hyperscale model; carrier as for the 2023 figure.",
    ),
    (
        2025,
        "gpu_rack_kw_range",
        "racks",
        40.0,
        130.0,
        "kW/rack",
        "jll_dc_outlook_2025",
        "higher rack densities ranging from 40 kW to 130 kW per rack",
        "Range of GPU racks; not a mean.",
    ),
    (
        2025,
        "nvl72_rack_kw_typical",
        "racks",
        120.0,
        None,
        "kW/rack",
        "press_gb200_nvl72_120kw",
        HOTCHIPS_120_QUOTE,
        "A GB200 NVL72 rack, as NVIDIA's John Norton described it at Hot Chips 2025. The talk gives no basis "
        "(maximum or operating); reading it as the typical rack is this project's assumption.",
    ),
    (
        2026,
        "nvl72_rack_kw_fully_loaded",
        "racks",
        132.0,
        None,
        "kW/rack",
        "schneider_nvl72_132kw",
        SCHNEIDER_132_QUOTE,
        "Schneider Electric's Steven Carlini as quoted; the GPU platform is not named.",
    ),
    (
        2026,
        "respondents_racks_liquid_cooled",
        "respondents' racks",
        25.0,
        None,
        "% of racks",
        "afcom_sotdc_2026_cooling",
        "According to the report, more than one in four racks use liquid cooling.",
        "Racks of AFCOM's respondents (a self-selected panel); 'more than one in four' read as 25%.",
    ),
]


# Where an anchor's quote was read, when not at its source's url.
ANCHOR_SEEN_AT = {
    "hyperscale_mean_rack_kw": "https://publication.datacentremagazine.com/data-centre-magazine-september-2025/"
    "0139533001756825554/p134",
}


def density_anchor_rows() -> list[dict]:
    return [
        dict(
            year=y,
            measure=m,
            basis=b,
            value=v,
            value_max=vmax,
            unit=u,
            source_id=src,
            status="reported",
            note=note,
            quote=quote,
            seen_at=ANCHOR_SEEN_AT.get(m),
        )
        for y, m, b, v, vmax, u, src, quote, note in DENSITY_ANCHORS
    ]


def anchor(measure: str, year: int) -> float:
    """The value of one density anchor (its lower end for a range)."""
    for y, m, _, v, *_ in DENSITY_ANCHORS:
        if (m, y) == (measure, year):
            return v
    raise KeyError(f"no density anchor {measure} for {year}")


def anchor_range(measure: str, year: int) -> tuple[float, float]:
    for y, m, _, v, vmax, *_ in DENSITY_ANCHORS:
        if (m, y) == (measure, year):
            return v, (vmax if vmax is not None else v)
    raise KeyError(f"no density anchor {measure} for {year}")


# --------------------------------------------------------------------------------------
# Rack density: reported survey averages, and the rack models (data/README.md#model-density-bands).
# --------------------------------------------------------------------------------------
# Reported industry averages: (year, kW, source_id, status, quote, seen_at). Uptime and AFCOM are
# different panels and stay separate rows.
SURVEY_AVERAGES = [
    (2020, 8.4, "uptime_gdcs_2020", "reported", "The mean average density for 2020 was 8.4 kilowatts per rack.", None),
    (
        2021,
        7.0,
        "afcom_sotdc_2021",
        "reported",
        "In 2021, the AFCOM State of the Data Center report put the average rack density at 7 kilowatts.",
        None,
    ),
    (
        2024,
        12.0,
        "afcom_sotdc_2024",
        "reported",
        "According to AFCOM’s 2024 State of the Data Center Report, average rack density now sits around 12 kW.",
        None,
    ),
    (2025, 16.0, "afcom_sotdc_2025", "reported", "By 2025 it had reached 16 kilowatts.", None),
    (
        2026,
        27.0,
        "afcom_sotdc_2026",
        "reported",
        "rising from roughly 7 kW per rack in 2021 to around 27 kW today",
        None,
    ),
]
AFCOM_GAPS = {2022: (2021, 2024), 2023: (2021, 2024)}


def survey_average(year: int, source_id: str) -> float:
    return next(kw for y, kw, src, *_ in SURVEY_AVERAGES if (y, src) == (year, source_id))


def density_key(year: int, source_id: str, segment: str = "industry_average", statistic: str = "average") -> str:
    return f"rack_density[{year}|{segment}|{statistic}|{source_id}].kw_per_rack"


def bisect(f, lo: float, hi: float, target: float, *, increasing: bool = True, steps: int = 200) -> float:
    """x in [lo, hi] with f(x) = target, f monotone."""
    for _ in range(steps):
        mid = (lo + hi) / 2
        if (f(mid) < target) == increasing:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


# Industry average = traditional racks (the site-modal distribution) + a dense (HPC/AI) component.
SIGMA_DENSE = 0.5  # assumed spread of dense racks (ln kW)


def industry_site_fit() -> tuple[float, float, float]:
    """sigma and 2021/2025 log-medians of the site-modal density, from Uptime's site shares."""
    below5 = anchor("sites_modal_below_5kw", 2021) / 100
    mid = anchor("sites_modal_5_to_10kw", 2021) / 100
    above10 = anchor("sites_modal_above_10kw", 2025) / 100
    z5, z10 = N.inv_cdf(below5), N.inv_cdf(below5 + mid)
    sigma = (math.log(10) - math.log(5)) / (z10 - z5)
    return sigma, math.log(5) - sigma * z5, math.log(10) - sigma * N.inv_cdf(1 - above10)


def dense_fit() -> tuple[float, float]:
    """Log-median of dense racks and the share of sites with a dense zone, from Uptime 2018.

    A site's densest rack is read as a draw from the dense distribution, so the share of
    sites with a rack >= X kW is q x P(dense >= X): the ratio of the two 2018 shares fixes
    the log-median, the 30 kW share then fixes q.
    """
    p30 = anchor("sites_densest_rack_ge_30kw", 2018) / 100
    p50 = anchor("sites_densest_rack_gt_50kw", 2018) / 100
    gap = math.log(50 / 30) / SIGMA_DENSE
    a = bisect(lambda a: (1 - N.cdf(a + gap)) / (1 - N.cdf(a)), -5, 5, p50 / p30, increasing=False)
    mu = math.log(30) - SIGMA_DENSE * a
    return mu, p30 / (1 - N.cdf(a))


SIGMA_SITE, MU21, MU25 = industry_site_fit()
MU_DENSE, DENSE_SITE_SHARE_2018 = dense_fit()


def site_mu(year: int) -> float:
    """Log-median of the site-modal density: linear in year through the 2021 and 2025 fits."""
    return MU21 + (MU25 - MU21) * (year - 2021) / 4


def dense_share(year: int) -> float:
    """Share of racks in the dense component: one value, fitted to Uptime's 2020 mean (8.4 kW), held in every
    year. No survey measures a later share of dense racks, and a share that shrank while AI racks spread would
    contradict every other anchor; Uptime 2024's 'below 8-10 kW' is a bound the model is checked against, not a
    target (``anchor_checks``)."""
    trad = math.exp(site_mu(2020) + SIGMA_SITE**2 / 2)
    dense = math.exp(MU_DENSE + SIGMA_DENSE**2 / 2)
    return (survey_average(2020, "uptime_gdcs_2020") - trad) / (dense - trad)


# Segments without a survey series: mean(y) = start x (1 + g)^(y - 2020), log-normal with sigma.
SEGMENT_GROWTH = {"enterprise": (6.0, 0.05), "colocation": (8.0, 0.11)}
SIGMA = {"enterprise": 0.45, "colocation": 0.55, "hyperscale": 0.60}


def hyperscale_mean(year: int) -> float:
    """On the JLL/IDC line: 36 kW (2023) to 50 kW (2027) at a constant rate."""
    k0, k1 = anchor("hyperscale_mean_rack_kw", 2023), anchor("hyperscale_mean_rack_kw", 2027)
    return k0 * (k1 / k0) ** ((year - 2023) / (2027 - 2023))


# AI factory: the NVIDIA platforms in volume shipment each year (hardware ids), weighted equally (an
# assumption: no source splits shipments by platform). HGX/DGX H100/H200 and B200 racks in 2024; NVL72
# racks from 2025 (GB200 NVL72 first shipped in December 2024, GB300 NVL72 in mid-2025).
AI_FACTORY_MIX: dict[int, tuple[str, ...]] = {
    2020: ("dgx_a100",),
    2021: ("dgx_a100",),
    2022: ("dgx_h100",),
    2023: ("dgx_h100",),
    2024: ("dgx_h100", "dgx_b200"),
    2025: ("gb200_nvl72",),
    2026: ("gb200_nvl72", "gb300_nvl72"),
}
SIGMA_AI_HEADROOM = 0.8  # spread of ln(headroom fraction below a platform's rack maximum), assumed


def rack_kw(hardware: list[dict], system_id: str) -> float:
    return next(float(h["default_rack_kw"]) for h in hardware if h["id"] == system_id)


def densest_rack(hardware: list[dict], year: int) -> tuple[str, float]:
    """The densest rack shipping in ``year``: the system with the largest rack budget, announced and modelled
    systems excluded (a cap is a published figure, not this project's estimate)."""
    shipping = [
        h
        for h in hardware
        if h["kind"] == "system"
        and h["year"] <= year
        and h["availability"] == "shipping"
        and h["status"] != "modelled"
        and "announced" not in str(h["note"]).lower()
    ]
    best = max(shipping, key=lambda h: (float(h["default_rack_kw"]), h["id"]))
    return best["id"], float(best["default_rack_kw"])


def typical_to_full() -> float:
    """A rack's mean draw over its maximum: GB200 NVL72's 120 kW (NVIDIA at Hot Chips 2025) over its 132 kW fully
    loaded (Schneider). Applying it to every platform is this project's assumption (the one fitted parameter)."""
    return anchor("nvl72_rack_kw_typical", 2025) / anchor("nvl72_rack_kw_fully_loaded", 2026)


def typical_rack(hardware: list[dict], year: int) -> float:
    """The mean rack of the year's mix: each platform's rack maximum x the GB200 mean/maximum ratio, averaged."""
    platforms = AI_FACTORY_MIX[year]
    return typical_to_full() * sum(rack_kw(hardware, p) for p in platforms) / len(platforms)


class Dist:
    """A rack-power distribution of one (profile, year): cdf, quantile and mean in kW."""

    def __init__(self, cdf, mean_kw: float, top_kw: float = 1e6):
        self.cdf, self.mean_kw, self.top_kw = cdf, mean_kw, top_kw

    def quantile(self, p: float) -> float:
        return math.exp(bisect(lambda lx: self.cdf(math.exp(lx)), -5, math.log(self.top_kw), p))


def lognormal(mu: float, sigma: float) -> Dist:
    return Dist(lambda x: N.cdf((math.log(x) - mu) / sigma) if x > 0 else 0.0, math.exp(mu + sigma**2 / 2))


def industry_dist(year: int) -> Dist:
    d, mu_t = dense_share(year), site_mu(year)

    def cdf(x: float) -> float:
        if x <= 0:
            return 0.0
        return (1 - d) * N.cdf((math.log(x) - mu_t) / SIGMA_SITE) + d * N.cdf((math.log(x) - MU_DENSE) / SIGMA_DENSE)

    mean = (1 - d) * math.exp(mu_t + SIGMA_SITE**2 / 2) + d * math.exp(MU_DENSE + SIGMA_DENSE**2 / 2)
    return Dist(cdf, mean)


def headroom_mu() -> float:
    """mu of ln headroom such that a platform's mean rack is ``typical_to_full()`` of its maximum; rack = max x
    (1 - headroom), ln headroom normal with sigma SIGMA_AI_HEADROOM, truncated so no rack exceeds its maximum."""
    s = SIGMA_AI_HEADROOM

    def mean_headroom(mu: float) -> float:
        return math.exp(mu + s * s / 2) * N.cdf((-mu - s * s) / s) / N.cdf(-mu / s)

    return bisect(mean_headroom, -20, 0, 1 - typical_to_full())


def ai_factory_dist(hardware: list[dict], year: int) -> Dist:
    """Equal-weight mixture of the year's platforms, each rack = its maximum x (1 - headroom)."""
    mu, s = headroom_mu(), SIGMA_AI_HEADROOM
    mass = N.cdf(-mu / s)
    maxima = [rack_kw(hardware, p) for p in AI_FACTORY_MIX[year]]

    def platform_cdf(x: float, top: float) -> float:
        if x <= 0:
            return 0.0
        if x >= top:
            return 1.0
        return 1 - N.cdf((math.log(1 - x / top) - mu) / s) / mass

    def cdf(x: float) -> float:
        return sum(platform_cdf(x, top) for top in maxima) / len(maxima)

    return Dist(cdf, typical_rack(hardware, year), top_kw=max(maxima))


def segment_dist(segment: str, year: int, hardware: list[dict]) -> Dist:
    """The rack-power distribution of a segment in a year (one method for every segment)."""
    if segment == "industry_average":
        return industry_dist(year)
    if segment == "ai_factory":
        return ai_factory_dist(hardware, year)
    if segment == "hyperscale":
        mean = hyperscale_mean(year)
    else:
        start, g = SEGMENT_GROWTH[segment]
        mean = start * (1 + g) ** (year - 2020)
    sigma = SIGMA[segment]
    return lognormal(math.log(mean) - sigma**2 / 2, sigma)


def segment_method(segment: str, year: int, hardware: list[dict]) -> str:
    if segment == "industry_average":
        return (
            f"mixture: {1 - dense_share(year):.1%} traditional racks (log-normal, sigma {SIGMA_SITE:.3f}, the "
            f"site-modal distribution fitted to Uptime's site shares) + {dense_share(year):.1%} dense racks "
            f"(log-normal, median {math.exp(MU_DENSE):.1f} kW, sigma {SIGMA_DENSE}, fitted to Uptime 2018); dense "
            "share fitted to the Uptime 2020 mean (8.4 kW) and held in every year"
        )
    if segment == "ai_factory":
        mix = AI_FACTORY_MIX[year]
        racks = ", ".join(f"{p} {rack_kw(hardware, p):g} kW" for p in mix)
        return (
            f"equal-weight mix of the platforms shipping in volume ({racks}); each rack = its maximum x (1 - "
            f"headroom), ln headroom normal with sigma {SIGMA_AI_HEADROOM} truncated at the maximum, its mean "
            f"{typical_to_full():.3f} of the maximum (GB200 NVL72: 120 kW at Hot Chips over 132 kW fully loaded, "
            f"applied to every platform as an assumption); mean {typical_rack(hardware, year):.1f} kW"
        )
    if segment == "hyperscale":
        return "log-normal, sigma 0.6, mean on the JLL/IDC line 36 kW (2023) to 50 kW (2027)"
    start, g = SEGMENT_GROWTH[segment]
    return f"log-normal, sigma {SIGMA[segment]}, mean = {start:g} kW x (1+{g:g})^(year-2020)"


def rack_density_rows(hardware: list[dict]) -> list[dict]:
    rows = []

    def add(year, segment, stat, kw, src, status, note, quote=None, seen_at=None, formula=None):
        rows.append(
            dict(
                year=year,
                segment=segment,
                statistic=stat,
                kw_per_rack=round(kw, 1),
                source_id=src,
                status=status,
                note=note,
                quote=quote,
                seen_at=seen_at,
                formula=formula,
            )
        )

    for year, kw, src, status, quote, seen_at in SURVEY_AVERAGES:
        panel = (
            "Uptime Institute: mean of surveyed sites"
            if src.startswith("uptime")
            else "AFCOM: average reported by its members (a self-selected panel)"
        )
        note = f"{panel}."
        if src == "afcom_sotdc_2026":
            note += " A sponsored article's 'today': the sentence names no report year (read as the 2026 report)."
        add(year, "industry_average", "average", kw, src, status, note, quote, seen_at)
    for y, (a, b) in AFCOM_GAPS.items():
        src_a, src_b = f"afcom_sotdc_{a}", f"afcom_sotdc_{b}"
        va, vb = survey_average(a, src_a), survey_average(b, src_b)
        add(
            y,
            "industry_average",
            "average",
            va * (vb / va) ** ((y - a) / (b - a)),
            src_b,
            "derived",
            f"AFCOM gap year: constant-growth interpolation between AFCOM {a} ({va:g} kW) and {b} ({vb:g} kW).",
            formula=f"{density_key(a, src_a)} * ({density_key(b, src_b)} / {density_key(a, src_a)}) "
            f"** (({y} - {a}) / ({b} - {a}))",
        )
    for segment in DENSITY_PROFILES:
        for y in YEARS:
            dist = segment_dist(segment, y, hardware)
            how = segment_method(segment, y, hardware)
            base = "share of racks; see data/README.md#model-density-bands"
            add(y, segment, "average", dist.mean_kw, "afd_model_density_bands", "modelled", f"Modelled mean; {how}.")
            add(
                y,
                segment,
                "low",
                dist.quantile(0.10),
                "afd_model_density_bands",
                "modelled",
                f"10th percentile of racks; {base}.",
            )
            add(
                y,
                segment,
                "high",
                dist.quantile(0.90),
                "afd_model_density_bands",
                "modelled",
                f"90th percentile of racks; {base}.",
            )
    return rows


# --------------------------------------------------------------------------------------
# Power distribution: the same rack distributions discretised into the fixed bands.
# --------------------------------------------------------------------------------------
def round_to_100(shares: list[float]) -> list[float]:
    """Round to 0.1 and put the rounding residue on the largest band."""
    rounded = [round(s * 100, 1) for s in shares]
    residue = round(100.0 - sum(rounded), 1)
    largest = max(range(len(rounded)), key=lambda i: (rounded[i], -i))
    rounded[largest] = round(rounded[largest] + residue, 1)
    return rounded


def power_distribution_rows(hardware: list[dict]) -> list[dict]:
    rows = []
    for y in YEARS:
        for profile in DENSITY_PROFILES:
            dist = segment_dist(profile, y, hardware)
            shares = [(dist.cdf(hi) if hi is not None else 1.0) - dist.cdf(lo) for _, _, lo, hi in DENSITY_BANDS]
            for (band, order, lo, hi), share in zip(DENSITY_BANDS, round_to_100(shares)):
                where = f"P({lo:g} <= rack kW < {hi:g})" if hi is not None else f"P(rack kW >= {lo:g})"
                rows.append(
                    dict(
                        year=y,
                        profile=profile,
                        band=band,
                        band_order=order,
                        band_min_kw=lo,
                        band_max_kw=hi,
                        share_pct=share,
                        source_id="afd_model_power_distribution",
                        status="modelled",
                        note=f"Share of racks (not of sites): {where} under the {profile} rack model of "
                        f"rack_density (mean {dist.mean_kw:.1f} kW); rounded to 0.1, residue on the "
                        "largest band.",
                    )
                )
    return rows


# --------------------------------------------------------------------------------------
# Maturity (2026).
# --------------------------------------------------------------------------------------
DIMENSIONS = [
    "Liquid cooling",
    "High-density zones",
    "AI-ready networking",
    "Orchestration & automation",
    "Dynamic scaling",
    "Continuous pipelines",
]
MATURITY_SEGMENTS = ["hyperscale", "ai_native_cloud", "colocation", "enterprise"]
MATURITY_2026 = {
    # segment: liquid cooling % of operators, then index 0-100 for the other five dimensions
    "hyperscale": (80, 85, 90, 90, 85, 80),
    "ai_native_cloud": (95, 95, 95, 85, 80, 90),
    "colocation": (45, 55, 50, 45, 35, 25),
    "enterprise": (20, 25, 30, 40, 30, 30),
}
MATURITY_NOTES = {
    "Liquid cooling": "Modelled split of the all-respondent anchors (AFCOM 2026: 36% deployed; Uptime 2025: 18% "
    "using DLC). "
    "Enterprise near the Uptime DLC share; colocation above the AFCOM average; hyperscale and AI-native "
    "clouds run GB200/GB300 NVL72 racks, which require direct liquid cooling.",
    "High-density zones": "Rubric score (0 none, 25 pilots, 50 some sites, 75 standard in new builds, 100 "
    "universal) for "
    "halls above 30 kW/rack. Anchors: Uptime 2025 'few facilities exceed 30 kW'; NVL72 racks 132-142 kW.",
    "AI-ready networking": "Rubric score for 400/800G lossless AI back-end fabrics. Anchor: Dell'Oro 2025, Ethernet "
    ">2/3 of "
    "AI back-end switch sales, driven by hyperscalers and AI clouds.",
    "Orchestration & automation": "Rubric score for GPU cluster scheduling and automated operations. Anchor: AFCOM "
    "2025, "
    "~65% deploying AI-capable solutions; Uptime 2025, ~one-third run AI workloads.",
    "Dynamic scaling": "Rubric score for real-time reallocation of accelerators across jobs (article: 'real-time "
    "resource "
    "scaling'). No survey figure found; judgement from the same anchors.",
    "Continuous pipelines": "Rubric score for ingest-train-evaluate-deploy loops running continuously. No survey "
    "figure "
    "found; judgement from the article and Uptime's one-third AI adoption.",
}


def maturity_rows() -> list[dict]:
    rows = []
    for seg in MATURITY_SEGMENTS:
        for dim, value in zip(DIMENSIONS, MATURITY_2026[seg]):
            unit = "% of operators" if dim == "Liquid cooling" else "index 0-100"
            rows.append(
                dict(
                    year=2026,
                    segment=seg,
                    dimension=dim,
                    value=float(value),
                    unit=unit,
                    source_id="afd_model_maturity",
                    status="modelled",
                    note=MATURITY_NOTES[dim],
                )
            )
    # Reported all-industry anchors (segment industry_average).
    for year, value, src, status, note, quote in [
        (
            2024,
            17.0,
            "afcom_sotdc_2024_cooling",
            "unverified",
            "AFCOM 2024: respondents that adopted liquid cooling. Unverified: its carrier (Mission Critical) was not "
            "in the search corpora and no other readable page states the figure.",
            None,
        ),
        (
            2025,
            18.0,
            "uptime_cooling_2025",
            "reported",
            "Uptime Cooling Systems Survey 2025: respondents already using liquid cooling (the update is about direct "
            "liquid cooling).",
            "Nearly one in five (18%, n=388) of the 2025 respondents are already using liquid cooling",
        ),
        (
            2026,
            36.0,
            "afcom_sotdc_2026_cooling",
            "reported",
            "AFCOM 2026: respondents that have deployed liquid cooling.",
            "36% have deployed liquid cooling",
        ),
    ]:
        rows.append(
            dict(
                year=year,
                segment="industry_average",
                dimension="Liquid cooling",
                value=value,
                unit="% of respondents",
                source_id=src,
                status=status,
                note=note,
                quote=quote,
            )
        )
    return rows


# --------------------------------------------------------------------------------------
# Stack: where the facility power of a GB200 NVL72 hall goes.
# --------------------------------------------------------------------------------------
PUE_REF = 1.25
RACK_KW = anchor("nvl72_rack_kw_typical", 2025)  # GB200 NVL72 typical draw (NVIDIA at Hot Chips 2025)
STACK_KW = [
    # layer_order, layer, component, examples, kW per compute rack (IT or overhead), note
    (
        1,
        "Accelerated compute",
        "GPU accelerators",
        "B200 in GB200 superchips; B300, H100/H200, MI355X in other halls",
        72 * 1.2,
        "72 GPUs x 1.2 kW (GB200 configuration, glennklockwood_b200)",
    ),
    (
        1,
        "Accelerated compute",
        "Host CPUs & memory",
        "Grace CPU + LPDDR5X (36 per NVL72); x86 hosts in HGX/DGX",
        36 * 0.3,
        "36 Grace CPUs with memory x 0.3 kW (assumed)",
    ),
    (
        1,
        "Accelerated compute",
        "Board power conversion & drives",
        "VRMs, NVMe drives, BMC in the 18 compute trays",
        4.1,
        "remainder of the 120 kW rack after the other in-rack items",
    ),
    (
        2,
        "Networking & interconnect",
        "NVLink scale-up fabric",
        "9 NVLink Switch trays (NVLink 5), copper spine",
        3.6,
        "9 switch trays, 3.6 kW total (press_gb300_nvl72)",
    ),
    (
        2,
        "Networking & interconnect",
        "NICs & DPUs",
        "ConnectX-7/8 SuperNICs, BlueField-3 DPUs",
        4.5,
        "18 trays x 0.25 kW (assumed)",
    ),
    (
        2,
        "Networking & interconnect",
        "Scale-out fabric",
        "InfiniBand Quantum-X800 or Spectrum-X Ethernet switches, 800G optics",
        0.05 * RACK_KW,
        "5% of compute-rack IT power (assumed)",
    ),
    (
        3,
        "Power delivery",
        "Rack power shelves",
        "in-rack AC/DC power shelves, busbar; 800 VDC shelves in next designs",
        0.03 * RACK_KW,
        "3% conversion loss of the 120 kW rack (assumed 97% efficient)",
    ),
    (
        3,
        "Power delivery",
        "UPS & distribution losses",
        "UPS, transformers, switchgear, busway, PDUs",
        None,
        "20% of the PUE overhead",
    ),
    (3, "Power delivery", "Ancillary building loads", "lighting, security, offices", None, "5% of the PUE overhead"),
    (
        4,
        "Cooling",
        "In-rack fans",
        "fans cooling the air-side share of the hybrid-cooled NVL72 rack",
        7.0,
        "7 kW per rack (assumed; the rack is hybrid liquid + air cooled)",
    ),
    (
        4,
        "Cooling",
        "CDUs & cold plates",
        "coolant distribution units, cold plates, manifolds, quick disconnects",
        None,
        "10% of the PUE overhead (pumps)",
    ),
    (4, "Cooling", "Heat rejection", "chillers, dry coolers, cooling towers", None, "50% of the PUE overhead"),
    (
        4,
        "Cooling",
        "Air handling for residual heat",
        "CRAH units, fan walls, rear-door heat exchangers",
        None,
        "15% of the PUE overhead",
    ),
    (
        5,
        "Storage & data pipelines",
        "High-performance storage",
        "all-flash parallel file systems (e.g. DDN, VAST, WEKA, NetApp)",
        0.03 * RACK_KW,
        "3% of compute-rack IT power (assumed)",
    ),
    (
        5,
        "Storage & data pipelines",
        "Data ingest & preprocessing nodes",
        "CPU servers for ETL, tokenisation, feature pipelines",
        0.01 * RACK_KW,
        "1% of compute-rack IT power (assumed)",
    ),
    (
        6,
        "Orchestration & software",
        "Management & control-plane servers",
        "Base Command Manager / Mission Control head nodes, UFM",
        0.01 * RACK_KW,
        "1% of compute-rack IT power (assumed)",
    ),
    (
        6,
        "Orchestration & software",
        "Cluster scheduling",
        "Slurm, Kubernetes, Run:ai",
        0.0,
        "software: no power of its own",
    ),
    (
        6,
        "Orchestration & software",
        "AI frameworks & serving",
        "CUDA, NeMo, TensorRT-LLM, Dynamo, vLLM",
        0.0,
        "software: no power of its own",
    ),
    (
        6,
        "Orchestration & software",
        "DCIM & telemetry",
        "power/cooling monitoring, leak detection, Mission Control",
        0.0,
        "software: no power of its own",
    ),
]
OVERHEAD_SPLIT = {
    "UPS & distribution losses": 0.20,
    "Ancillary building loads": 0.05,
    "CDUs & cold plates": 0.10,
    "Heat rejection": 0.50,
    "Air handling for residual heat": 0.15,
}


def stack_rows() -> list[dict]:
    it_kw = sum(kw for *_, kw, _ in STACK_KW if kw is not None)
    overhead = it_kw * (PUE_REF - 1)
    kws = [kw if kw is not None else overhead * OVERHEAD_SPLIT[comp] for _, _, comp, _, kw, _ in STACK_KW]
    facility = it_kw + overhead
    pct = round_to_100([k / facility for k in kws])
    rows = []
    for (order, layer, comp, examples, _, how), kw, share in zip(STACK_KW, kws, pct):
        rows.append(
            dict(
                layer_order=order,
                layer=layer,
                component=comp,
                examples=examples,
                power_share_pct=share,
                source_id="afd_model_stack",
                status="modelled",
                note=f"{how}: {kw:.2f} kW of {facility:.1f} kW facility power per NVL72 rack "
                f"(IT {it_kw:.1f} kW x PUE {PUE_REF}).",
            )
        )
    return rows


# --------------------------------------------------------------------------------------
# Electricity.
# --------------------------------------------------------------------------------------
SEEN_IEA_PRESS = (
    "https://www.business-standard.com/amp/technology/tech-news/"
    "algo-rhythm-energy-demand-of-ai-data-centres-to-double-by-2030-125041300687_1.html"
)
SEEN_IEA_GROWTH = (
    "https://vuink.com/post/raretl-d-drp-d-drhebcn-d-drh/news/focus-data-centres-energy-hungry-challenge-2025-11-17_en"
)
SEEN_LBNL_2018 = "https://rtowww.com?tax=taxonomies.post_tag&term=Western+Resource+Advocates"
LBNL_QUOTE = (
    "total data center electricity usage climbed from 58 TWh in 2014 to 176 TWh in 2023 and estimates an "
    "increase between 325 to 580 TWh by 2028"
)
IEA_GROWTH_RATE = 0.12  # "grown by 12% per year over the last 5 years"
IEA_GROWTH_QUOTE = "This has grown by 12% per year over the last 5 years"
# IEA regions, Base Case (Graphic News chart text citing IEA): region, 2024, 2030, quoted fragment.
IEA_REGIONS = [
    ("us", 183, 426, "United States 183 426"),
    ("china", 102, 277, "China 102 277"),
    ("europe", 68, 113, "Europe 68 113"),
]


def electricity_key(year: int, region: str, scenario: str, source_id: str) -> str:
    return f"electricity[{year}|{region}|{scenario}|{source_id}].twh"


def electricity_rows() -> list[dict]:
    rows = []

    def add(year, region, scenario, twh, src, status, note, quote=None, seen_at=None, formula=None):
        rows.append(
            dict(
                year=year,
                region=region,
                scenario=scenario,
                twh=round(twh, 1),
                source_id=src,
                status=status,
                note=note,
                quote=quote,
                seen_at=seen_at,
                formula=formula,
            )
        )

    def interp(region, scenario, start, end, src, status="derived"):
        (y0, s0, src0), (y1, s1, src1) = start, end
        v0 = next(
            r["twh"] for r in rows if (r["year"], r["region"], r["scenario"], r["source_id"]) == (y0, region, s0, src0)
        )
        v1 = next(
            r["twh"] for r in rows if (r["year"], r["region"], r["scenario"], r["source_id"]) == (y1, region, s1, src1)
        )
        k0, k1 = electricity_key(y0, region, s0, src0), electricity_key(y1, region, s1, src1)
        for y in range(y0 + 1, y1):
            add(
                y,
                region,
                scenario,
                v0 * (v1 / v0) ** ((y - y0) / (y1 - y0)),
                src,
                status,
                f"Constant-growth interpolation between {y0} ({v0:g} TWh) and {y1} ({v1:g} TWh).",
                formula=f"{k0} * ({k1} / {k0}) ** (({y} - {y0}) / ({y1} - {y0}))",
            )

    # LBNL, United States.
    lbnl, rto = "lbnl_2024_energy_report", "lbnl_2024_energy_report_rto"
    add(2014, "us", "historical", 58, lbnl, "reported", "LBNL 2024 report.", LBNL_QUOTE)
    add(
        2018,
        "us",
        "historical",
        76,
        rto,
        "reported",
        "LBNL 2024 report, as reported by RTO Insider.",
        "data centers gobbled up 76 TWh of electricity in 2018, or 1.9% of total U.S. power demand",
        SEEN_LBNL_2018,
    )
    add(2023, "us", "historical", 176, lbnl, "reported", "LBNL 2024 report (4.4% of US electricity).", LBNL_QUOTE)
    interp("us", "historical", (2018, "historical", rto), (2023, "historical", lbnl), lbnl)
    for scen, v in (("low", 325), ("high", 580)):
        add(2028, "us", scen, v, lbnl, "reported", f"LBNL 2024 report, 2028 {scen} end of the range.", LBNL_QUOTE)
        interp("us", scen, (2023, "historical", lbnl), (2028, scen, lbnl), lbnl)

    # IEA, global.
    iea, cases = "iea_energy_ai_2025", "iea_energy_ai_2025_cases"
    add(
        2024,
        "global",
        "historical",
        415,
        iea,
        "reported",
        "IEA Energy and AI, 2024 estimate.",
        "Electricity generation to run data centres in 2024 was estimated to be around 415 TWh",
        SEEN_IEA_PRESS,
    )
    for y in range(2020, 2024):
        add(
            y,
            "global",
            "historical",
            415 / (1 + IEA_GROWTH_RATE) ** (2024 - y),
            "iea_energy_ai_2025_growth",
            "derived",
            "Back-cast from 415 TWh (2024) at the ~12%/yr the IEA reports for the preceding five years.",
            IEA_GROWTH_QUOTE,
            SEEN_IEA_GROWTH,
            f"{electricity_key(2024, 'global', 'historical', iea)} / (1 + {IEA_GROWTH_RATE}) ** (2024 - {y})",
        )
    add(
        2030,
        "global",
        "base",
        945,
        iea,
        "reported",
        "IEA Energy and AI, 2030 Base Case.",
        "Electricity demand by data centres worldwide will more than double by 2030 to around 945 terawatt-hours",
        SEEN_IEA_PRESS,
    )
    interp("global", "base", (2024, "historical", iea), (2030, "base", iea), iea)
    for scen, v in (("lift_off", 1264), ("headwinds", 669)):
        add(
            2030,
            "global",
            scen,
            v,
            cases,
            "unverified",
            f"IEA Energy and AI, 2030 {scen.replace('_', '-')} case; found in no document read for this "
            "project (IEA pages, press, summaries).",
        )
        interp("global", scen, (2024, "historical", iea), (2030, scen, cases), cases, status="unverified")
    add(
        2030,
        "global",
        "base_2026_update",
        950,
        "iea_key_questions_2026",
        "reported",
        "IEA Key Questions on Energy and AI (2026): 2030 projection, revised from 945 TWh.",
        "This year, they upped that marginally to 950 TWh",
    )
    # IEA regions, Base Case.
    carrier = (
        " Chart text of a Graphic News graphic citing the IEA, read in a bare-IP archive copy: no better carrier of "
        "the regional figures was found in the search corpora (beleevid.com states only the changes)."
    )
    for region, v24, v30, quote in IEA_REGIONS:
        src = "iea_energy_ai_2025_regions"
        add(2024, region, "historical", v24, src, "reported", "IEA Energy and AI, 2024 estimate." + carrier, quote)
        add(2030, region, "base", v30, src, "reported", "IEA Energy and AI, 2030 Base Case." + carrier, quote)
        interp(region, "base", (2024, "historical", src), (2030, "base", src), src)
    return rows


# --------------------------------------------------------------------------------------
# Throughput: MLPerf Inference results (closed division), only as submitted. A catalog
# system with no row here has no submission that was read; nothing is estimated.
# --------------------------------------------------------------------------------------
# Where each figure was read: the results file itself. The v5.1 rows were read in public forks of
# mlcommons/inference_results_v5.1 (the official repository was not readable here); the B200 row's
# page is its source's own url, so it needs no seen_at.
V41_BLOB = "https://github.com/mlcommons/inference_results_v4.1/blob/main/"
V51_FORK_BLOB = "https://github.com/ykamiset/inference_results_v5.1/blob/main/"


def throughput_rows() -> list[dict]:
    rows = []

    def run(hw, benchmark, scenario, tokens_per_s, gpus, round_, system, src, quote, seen_at, note):
        rows.append(
            dict(
                hardware_id=hw,
                benchmark=benchmark,
                scenario=scenario,
                tokens_per_s=tokens_per_s,
                accelerators=gpus,
                mlperf_round=round_,
                submitter="NVIDIA",
                mlperf_system=system,
                division="closed",
                source_id=src,
                status="reported",
                quote=quote,
                seen_at=seen_at,
                note=note,
            )
        )

    h100 = (
        "closed/NVIDIA/results/DGX-H100_H100-SXM-80GBx8_TRT/llama2-70b-99.9/{}/performance/run_1/mlperf_log_summary.txt"
    )
    run(
        "dgx_h100",
        "llama2-70b-99.9",
        "offline",
        24524.9,
        8,
        "v4.1",
        "DGX-H100_H100-SXM-80GBx8_TRT",
        "mlperf_v41_nvidia_dgx_h100",
        "Tokens per second: 24524.9",
        V41_BLOB + h100.format("Offline"),
        "NVIDIA DGX H100 (8x H100-SXM-80GB, TensorRT), the catalog's DGX H100.",
    )
    run(
        "dgx_h100",
        "llama2-70b-99.9",
        "server",
        21605.79,
        8,
        "v4.1",
        "DGX-H100_H100-SXM-80GBx8_TRT",
        "mlperf_v41_nvidia_dgx_h100",
        "Completed tokens per second: 21605.79",
        V41_BLOB + h100.format("Server"),
        "Server scenario: TTFT and TPOT latency constraints satisfied.",
    )
    gb = "closed/NVIDIA/results/{}/llama3.1-405b/{}/performance/run_1/mlperf_log_summary.txt"
    for hw, system, src, offline, server in (
        (
            "gb200_nvl72",
            "GB200-NVL72_GB200-186GB_aarch64x72_TRT",
            "mlperf_v51_nvidia_gb200_nvl72",
            "14774.3",
            "11614.28",
        ),
        (
            "gb300_nvl72",
            "GB300-NVL72_GB300-288GB_aarch64x72_TRT",
            "mlperf_v51_nvidia_gb300_nvl72",
            "16104.1",
            "12248.42",
        ),
    ):
        note = f"72 GPUs in one NVL72 rack, the catalog's {hw}."
        run(
            hw,
            "llama3.1-405b",
            "offline",
            float(offline),
            72,
            "v5.1",
            system,
            src,
            f"Tokens per second: {offline}",
            V51_FORK_BLOB + gb.format(system, "Offline"),
            note,
        )
        run(
            hw,
            "llama3.1-405b",
            "server",
            float(server),
            72,
            "v5.1",
            system,
            src,
            f"Completed tokens per second: {server}",
            V51_FORK_BLOB + gb.format(system, "Server"),
            note,
        )
    b200_note = (
        "8 x B200-SXM-180GB with 2 x Xeon Platinum 8570, air-cooled; the results page is titled 'NVIDIA DGX B200 "
        "(8x B200-SXM-180GB, TensorRT)', the catalog's DGX B200."
    )
    for benchmark, server, offline in (
        ("llama2-70b-99", "99123.00", "101527.00"),
        ("llama2-70b-99.9", "99123.00", "101527.00"),
        ("llama3.1-405b", "1240.42", "1624.11"),
    ):
        run(
            "dgx_b200",
            benchmark,
            "offline",
            float(offline),
            8,
            "v5.1",
            "B200-SXM-180GBx8_TRT",
            "mlperf_v51_nvidia_b200x8",
            offline,
            None,
            f"{TABLE_CELL}: Results Table, row {benchmark}, column Offline Performance (metric Tokens/s). {b200_note}",
        )
        run(
            "dgx_b200",
            benchmark,
            "server",
            float(server),
            8,
            "v5.1",
            "B200-SXM-180GBx8_TRT",
            "mlperf_v51_nvidia_b200x8",
            server,
            None,
            f"{TABLE_CELL}: Results Table, row {benchmark}, column Server Performance (metric Tokens/s). {b200_note}",
        )
    return rows


# --------------------------------------------------------------------------------------
# Writing.
# --------------------------------------------------------------------------------------
# Column order is the schema's (factorycore/schema.py); a column a row does not set (the
# evidence columns quote, seen_at, formula on rows that need none) is written empty.
COLUMNS = {table: list(columns) for table, columns in TABLES.items()}


def fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = f"{value:.4f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return str(value)


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([fmt(row.get(c)) for c in columns])


def build(out_dir: Path) -> list[Path]:
    hardware = hardware_rows()
    tables = {
        "sources": [dict(zip(COLUMNS["sources"], s)) for s in SOURCES],
        "rack_density": rack_density_rows(hardware),
        "density_anchors": density_anchor_rows(),
        "power_distribution": power_distribution_rows(hardware),
        "maturity": maturity_rows(),
        "stack": stack_rows(),
        "hardware": hardware,
        "hardware_power": power_figure_rows(),
        "electricity": electricity_rows(),
        "throughput": throughput_rows(),
        "compliance_rules": compliance_rule_rows(),
    }
    if set(tables) != set(TABLES):
        raise ValueError(f"generator and schema disagree on the tables: {sorted(set(tables) ^ set(TABLES))}")
    for name, rows in tables.items():
        for row in rows:
            if name != "sources" and row["source_id"] not in SOURCE_IDS:
                raise ValueError(f"{name}: unknown source_id {row['source_id']}")
        if name != "sources":
            with_evidence(name, rows)
    written = []
    for name, rows in tables.items():
        path = out_dir / ("sources.csv" if name == "sources" else f"reference/{name}.csv")
        write_csv(path, COLUMNS[name], rows)
        written.append(path)
    return written


def anchor_checks() -> list[tuple[str, str, float, float]]:
    """(model, anchor, target, model value) for every anchor a model is fitted to; data/README.md lists them."""
    hardware = hardware_rows()

    def site_cdf(x: float, year: int) -> float:
        return N.cdf((math.log(x) - site_mu(year)) / SIGMA_SITE)

    def dense_tail(x: float) -> float:
        return 1 - N.cdf((math.log(x) - MU_DENSE) / SIGMA_DENSE)

    low24, high24 = anchor_range("mean_rack_kw", 2024)
    ind24 = industry_dist(2024).mean_kw
    typical = anchor("nvl72_rack_kw_typical", 2025)
    return [
        (
            "industry_average",
            "Uptime 2020 mean 8.4 kW",
            survey_average(2020, "uptime_gdcs_2020"),
            industry_dist(2020).mean_kw,
        ),
        (
            "industry_average (check, not fitted)",
            f"Uptime 2024 mean below {low24:g}-{high24:g} kW (bound: at most {high24:g})",
            high24,
            ind24,
        ),
        (
            "industry_average (sites)",
            "Uptime 2021: sites modal <5 kW, %",
            anchor("sites_modal_below_5kw", 2021),
            100 * site_cdf(5, 2021),
        ),
        (
            "industry_average (sites)",
            "Uptime 2021: sites modal 5-10 kW, %",
            anchor("sites_modal_5_to_10kw", 2021),
            100 * (site_cdf(10, 2021) - site_cdf(5, 2021)),
        ),
        (
            "industry_average (sites)",
            "Uptime 2025: sites modal >10 kW, %",
            anchor("sites_modal_above_10kw", 2025),
            100 * (1 - site_cdf(10, 2025)),
        ),
        (
            "industry_average (sites)",
            "Uptime 2018: sites with a rack >=30 kW, %",
            anchor("sites_densest_rack_ge_30kw", 2018),
            100 * DENSE_SITE_SHARE_2018 * dense_tail(30),
        ),
        (
            "industry_average (sites)",
            "Uptime 2018: sites with a rack >50 kW, %",
            anchor("sites_densest_rack_gt_50kw", 2018),
            100 * DENSE_SITE_SHARE_2018 * dense_tail(50),
        ),
        ("hyperscale", "JLL/IDC 2023 mean 36 kW", anchor("hyperscale_mean_rack_kw", 2023), hyperscale_mean(2023)),
        ("hyperscale", "JLL/IDC 2027 mean 50 kW", anchor("hyperscale_mean_rack_kw", 2027), hyperscale_mean(2027)),
        ("ai_factory", "GB200 NVL72 rack 120 kW (2025, GB200 only)", typical, ai_factory_dist(hardware, 2025).mean_kw),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="directory to write into (default: data/)")
    parser.add_argument("--anchors", action="store_true", help="print each model's anchors and fit, write nothing")
    args = parser.parse_args()
    if args.anchors:
        print("| model | anchor | target | model | off by |\n|---|---|---|---|---|")
        for model, name, target, value in anchor_checks():
            print(f"| {model} | {name} | {target:g} | {value:.2f} | {100 * (value - target) / target:+.1f} % |")
        return
    for path in build(args.out):
        print(path)


if __name__ == "__main__":
    main()
