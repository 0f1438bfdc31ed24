#!/usr/bin/env python3
"""Build the reference CSVs of the AI Factory Dashboard from cited anchors.

One deterministic script writes ``data/sources.csv`` and every CSV in
``data/reference``. Reported numbers are typed in below, each next to its
source_id; derived and modelled numbers are computed here from those anchors
with the methods described in ``data/README.md``. Re-running the script must
reproduce the committed files byte for byte (``tests/test_data_integrity.py``
checks this), so: no randomness, no clock, no network, standard library only.

Usage::

    python data/build_models.py            # rewrite data/sources.csv + data/reference/*.csv
    python data/build_models.py --out DIR  # write the same files under DIR instead
"""

from __future__ import annotations

import argparse
import csv
import math
from pathlib import Path
from statistics import NormalDist

DATA_DIR = Path(__file__).resolve().parent
YEARS = list(range(2020, 2027))
N = NormalDist()
Z90 = N.inv_cdf(0.90)  # 1.2816: low/high statistics are the 10th/90th percentiles

README = "data/README.md"


# --------------------------------------------------------------------------------------
# Sources. status: firm = read in the publisher's own document; secondary = seen through
# press or a summary; model = a method of this project documented in data/README.md.
# --------------------------------------------------------------------------------------
SOURCES = [
    # source_id, publisher, title, year, url, status, note
    ("uptime_gdcs_2020", "Uptime Institute", "Global Data Center Survey 2020", 2020,
     "https://journal.uptimeinstitute.com/rack-density-is-rising", "firm",
     "Mean average rack density 8.4 kW in 2020; the same figure appears in the survey summary at itone.lu."),
    ("uptime_gdcs_2021", "Uptime Institute", "Global Data Center Survey 2021 (summary)", 2021,
     "https://magazine.intelligentdatacentres.com/intelligent-data-centres-issue-32/0337247001633682834?page=20",
     "secondary",
     "Press summary: more than one-third of respondents say their most common rack density is below 5 kW; nearly half 5-10 kW. Shares of sites by modal density, not of racks."),
    ("uptime_gdcs_2023", "Uptime Institute", "Global Data Center Survey 2023 (Keynote Report 106)", 2023,
     "https://intelligence.uptimeinstitute.com/index.php/resource/uptime-institute-global-data-center-survey-2023",
     "firm", "Qualitative: rack densities climbing steadily but slowly; most operators have no racks beyond 20 kW."),
    ("uptime_gdcs_2025", "Uptime Institute", "Global Data Center Survey 2025 (Keynote Report 180)", 2025,
     "https://intelligence.uptimeinstitute.com/resource/uptime-institute-global-data-center-survey-2025",
     "firm", "Qualitative: densities rise slowly, driven by 10-30 kW racks; few facilities exceed 30 kW; PUE 1.54."),
    ("uptime_gdcs_2025_press", "Uptime Institute", "Global Data Center Survey 2025 (press summary)", 2025,
     "https://www.apmdigest.com/data-centers-preparing-unpredictable-ai-workload-demand", "secondary",
     "Roughly one-third of owners/operators perform some AI training or inference."),
    ("uptime_update_495_2026", "Uptime Institute",
     "Intelligence Update 495: Lower density brings server efficiency and cooling gains", 2026,
     "https://intelligence.uptimeinstitute.com/resource/lower-density-brings-server-efficiency-and-cooling-gains",
     "firm", "Typical (modal) rack densities shifting toward 10 kW, more than a quarter of operators above it (GDCS 2025)."),
    ("uptime_cooling_2025", "Uptime Institute", "Intelligence Update 431 (Cooling Systems Survey 2025)", 2025,
     "https://intelligence.uptimeinstitute.com/resource/fewer-operators-cite-sustainability-dlc-driver", "firm",
     "18% of respondents (n=388) already use direct liquid cooling; 62% considering it."),
    ("uptime_ai_infra_2025", "Uptime Institute", "AI Infrastructure Survey 2025 (summary by NEXTDC)", 2025,
     "https://www.nextdc.com/blog/uptime-institute-ai-infrastructure-survey-2025?hs_amp=true", "secondary",
     "32% of operators deploy AI inference; 45% more plan to."),
    ("afcom_sotdc_2016", "AFCOM", "State of the Data Center 2016", 2016,
     "https://blog.enconnex.com/data-center-rack-density", "secondary",
     "Average rack density 6.1 kW (2016), quoted by Enconnex."),
    ("afcom_sotdc_2021", "AFCOM", "State of the Data Center 2021", 2021,
     "https://computeforecast.com/?p=65705", "secondary",
     "Average rack density 7 kW (2021), quoted by ComputeForecast; also quoted as 'roughly 7 kW in 2021' by Data Center Frontier."),
    ("afcom_sotdc_2024", "AFCOM", "State of the Data Center 2024", 2024,
     "https://blog.enconnex.com/data-center-rack-density", "secondary",
     "Average rack density around 12 kW, quoted by Enconnex."),
    ("afcom_sotdc_2024_cooling", "AFCOM", "State of the Data Center 2024 (cooling findings)", 2024,
     "https://www.missioncriticalmagazine.com/articles/95114", "secondary",
     "17% of respondents had adopted liquid cooling (recorded in shared/reference/public-figures.csv)."),
    ("afcom_sotdc_2025", "AFCOM", "State of the Data Center 2025", 2025,
     "https://computeforecast.com/?p=65705", "secondary", "Average rack density 16 kW (2025), quoted by ComputeForecast."),
    ("afcom_sotdc_2025_ai", "AFCOM", "State of the Data Center 2025 (AI findings)", 2025,
     "https://rcrwireless.com/?p=413642", "secondary",
     "Nearly 65% of respondents actively deploying AI-capable solutions; 80% expect significant AI capacity increases."),
    ("afcom_sotdc_2026", "AFCOM", "State of the Data Center 2026", 2026,
     "https://www.datacenterfrontier.com/sponsored/article/55366161/designing-data-centers-for-the-ai-age",
     "secondary", "Sponsored article: average rack density rose from roughly 7 kW (2021) to around 27 kW today."),
    ("afcom_sotdc_2026_cooling", "AFCOM", "State of the Data Center 2026 (cooling findings)", 2026,
     "https://www.upsite.com/blog/the-state-of-data-center-cooling-in-2026/", "secondary",
     "36% have deployed liquid cooling, 28% plan to within 12-24 months, 37% adopted or considering RDHx."),
    ("schneider_wp156", "Schneider Electric", "White Paper 156: Choosing the Optimal Data Center Power Density", 2013,
     "https://www.scribd.com/document/351259957/choosing-the-optimal-data-center-power-density-pdf", "secondary",
     "Third-party copy of the white paper (Revision 0; Kevin Brown, Wendy Torell, Victor Avelar): optimal average density 5-8 kW per rack. No copy on se.com was found; year of the white paper not checked."),
    ("delloro_ai_backend_2026", "Dell'Oro Group", "4Q 2025 Data Center Switch - AI Back-end Networks Report (press release)", 2026,
     "https://www.prnewswire.com/news-releases/ethernet-more-than-doubles-size-of-infiniband-as-the-leading-fabric-for-ai-scale-out-networks-in-2025-according-to-delloro-group-302708949.html",
     "firm", "Ethernet accounted for more than two-thirds of data center switch sales in AI back-end networks in 2025."),
    ("lbnl_2024_energy_report", "Lawrence Berkeley National Laboratory",
     "2024 United States Data Center Energy Usage Report", 2024,
     "https://www.publicpower.org/periodical/article/report-sees-data-center-load-growth-doubling-or-tripling-2028",
     "secondary", "APPA summary: 58 TWh (2014) to 176 TWh (2023); 325-580 TWh by 2028. The same figures are in Berkeley Lab's news release (seen only as a repost at miragenews.com). The LBNL PDF itself was not read."),
    ("lbnl_2024_energy_report_rto", "Lawrence Berkeley National Laboratory",
     "2024 United States Data Center Energy Usage Report (RTO Insider: Berkeley Lab: Data Centers Could Need 12% of US Power by 2028)", 2024,
     "https://rtoinsider.com/94520-berkeley-lab-data-centers-us-power-2028", "secondary",
     "RTO Insider article of 22 Dec 2024: 76 TWh in 2018 (1.9% of US demand), 176 TWh in 2023 (4.4%), up to 12% by 2028. The 2018 figure was read in the article's full text as mirrored at rtowww.com; the rtoinsider.com page itself was seen with its lead (4.4% in 2023 to up to 12% in 2028)."),
    ("iea_energy_ai_2025", "International Energy Agency", "Energy and AI", 2025,
     "https://www.iea.org/reports/energy-and-ai/energy-demand-from-ai", "firm",
     "Global data centre electricity ~415 TWh in 2024, ~945 TWh in 2030 (Base Case)."),
    ("iea_energy_ai_2025_cases", "International Energy Agency", "Energy and AI (Lift-Off and Headwinds cases)", 2025,
     "https://www.iea.org/reports/energy-and-ai/energy-demand-from-ai", "secondary",
     "2030 Lift-Off 1264 TWh and Headwinds 669 TWh were seen only through secondary summaries of the report annex (public-figures.csv); not checked against the IEA text."),
    ("iea_energy_ai_2025_regions", "International Energy Agency", "Energy and AI (regional figures, Graphic News chart)", 2025,
     "http://46.235.172.94/Archive/arch-46500-46999/GN46940T_words_EN.txt", "secondary",
     "Graphic News chart text citing IEA: US 183 -> 426, China 102 -> 277, Europe 68 -> 113 TWh (2024 -> 2030 Base Case)."),
    ("iea_energy_ai_2025_growth", "International Energy Agency", "Energy and AI (growth since 2019, press summary)", 2025,
     "https://theelectricityhub.com/ai-powers-data-surge-sparks-electricity-alarm", "secondary",
     "Summary: data centre use ~415 TWh in 2024 after climbing ~12% a year for the past five years."),
    ("nvidia_dgx_a100_guide", "NVIDIA", "DGX A100 User Guide (power specifications, via pcnews.ru)", 2020,
     "https://pcnews.ru/news/vycislitelnaa_sistema_nvidia_dgx_a100_ampere_osnasaetsa_sestu_blokami_pitania_po_3_kvt-985106.html",
     "secondary", "Summary of NVIDIA's DGX A100 documentation: 6,500 W maximum system power, six 3 kW PSUs."),
    ("nvidia_dgx_h100_guide", "NVIDIA", "DGX H100/H200 User Guide (power specifications, via summary)", 2022,
     "https://unanswered.io/guide/nvidia-dgx-power-consumption-watts", "secondary",
     "Summary citing the DGX H100/H200 User Guide: six 3.3 kW PSUs, 10.2 kW maximum system input."),
    ("nvidia_dgx_b200_guide", "NVIDIA", "DGX B200 User Guide: Introduction to NVIDIA DGX B200 Systems", 2024,
     "https://docs.nvidia.com/dgx/dgxb200-user-guide/introduction-to-dgxb200.html", "firm",
     "8 x B200, 10U, six 3.3 kW PSUs, 14.3 kW max."),
    ("nvidia_dgx_b300_press", "NVIDIA", "DGX B300 system power (press summary of NVIDIA docs)", 2025,
     "https://thedailyscout.com/s/mS-qfkbCluI", "secondary", "DGX B300 listed at 14.5 kW; HGX B200 configurable to 1 kW per GPU."),
    ("nvidia_superpod_b200_ra", "NVIDIA", "DGX SuperPOD with DGX B200 Systems: Reference Architecture", 2024,
     "https://docs.nvidia.com/dgx-superpod/reference-architecture-scalable-infrastructure-b200/latest/dgx-superpod-architecture.html",
     "firm", "Example SU rack layout: power consumption per rack exceeds 25 kW."),
    ("nvidia_superpod_b300_ra", "NVIDIA", "DGX SuperPOD with DGX B300 Systems (XDR): Reference Architecture", 2025,
     "https://docs.nvidia.com/dgx-superpod/reference-architecture/scalable-infrastructure-b300-xdr/latest/dgx-superpod-architecture.html",
     "firm", "Four DGX B300 per rack; rack-level power ~56 kW (AC, PDU-powered EIA racks)."),
    ("nvidia_superpod_gb200_ra", "NVIDIA", "DGX SuperPOD with DGX GB200 Systems: Reference Architecture", 2024,
     "https://docs.nvidia.com/dgx-superpod/reference-architecture-scalable-infrastructure-gb200/latest/dgx-superpod-architecture.html",
     "firm", "One scalable unit = 8 DGX GB200 rack systems; each SU requires a TDP of 1.2 MW; hybrid liquid + air cooling."),
    ("schneider_nvl72_132kw", "Schneider Electric", "Rack power of the latest NVIDIA GPU racks (quoted by ComputeForecast)", 2026,
     "https://computeforecast.com/?p=65705", "secondary",
     "Steven Carlini (Schneider Electric): latest NVIDIA GPU servers require 132 kW when fully loaded into a rack."),
    ("press_gb200_nvl72_120kw", "Introl", "GB200 NVL72 deployment: managing 72 GPUs in liquid-cooled configurations", 2025,
     "https://introl.com/blog/gb200-nvl72-deployment-72-gpu-liquid-cooled", "secondary",
     "GB200 NVL72 consumes 120 kW per rack (trade press)."),
    ("press_gb300_nvl72", "Introl", "Why the NVIDIA GB300 NVL72 (Blackwell Ultra) matters", 2025,
     "https://introl.com/blog/why-nvidia-gb300-nvl72-blackwell-ultra-matters", "secondary",
     "Rack breakdown: 18 compute trays ~117 kW, 9 NVLink switch trays 3.6 kW, 8 power shelves 132 kW DC output."),
    ("press_gb300_nvl72_142kw", "Manish KL", "The cooling stack is the new critical path: how GB300 NVL72 racks manage 142 kW", 2026,
     "https://manishklach.github.io/writings/blackwell-gb300-nvl72-cooling-stack.html", "secondary",
     "Aggregate peak draw of a GB300 NVL72 rack approximately 142 kW."),
    ("tomshardware_rubin_ultra_2025", "Tom's Hardware", "Nvidia shows off Rubin Ultra with 600,000-Watt Kyber racks", 2025,
     "https://tomshardware.com/pc-components/gpus/nvidia-shows-off-rubin-ultra-with-600-000-watt-kyber-racks-and-infrastructure-coming-in-2027",
     "secondary", "GTC 2025: Rubin Ultra NVL576 Kyber racks for 2H 2027, up to 600 kW per rack (confirmed by Jensen Huang in Q&A)."),
    ("hf_hardware_a100", "Hugging Face", "Hardware: NVIDIA A100", 2025, "https://huggingface.co/hardware/a100", "secondary",
     "A100 (SXM, 80 GB) power 400 W."),
    ("runpod_h100_power", "RunPod", "What is the power consumption of the NVIDIA H100 GPU?", 2025,
     "https://runpod.io/ai-faq/what-is-the-power-consumption-of-the-nvidia-h100-gpu", "secondary",
     "H100 SXM up to 700 W TDP; H100 PCIe ~350 W."),
    ("nvidia_h100_pcie_brief", "NVIDIA", "H100 PCIe GPU Product Brief PB-11133-001_v02 (copy on manuals.plus)", 2022,
     "https://manuals.plus/m/56b0c3ef7d0a1c470c0af8f05a0bd1f29a778007472ba941201fbbb185c9bccd", "secondary",
     "Maximum TDP 350 W; passive heat sink (air)."),
    ("mlperf_v41_nvidia_h200", "MLCommons", "MLPerf Inference v4.1 system description: NVIDIA H200-SXM-141GBx8 (TRT, MaxQ)", 2024,
     "https://raw.githubusercontent.com/mlcommons/inference_results_v4.1/main/closed/NVIDIA/systems/H200-SXM-141GBx8_TRT_MaxQ.json",
     "firm", "Submitted by NVIDIA. hw_notes: 'H200 TGP 700W'; 8 x H200-SXM-141GB per node, air-cooled. Replaces the Hugging Face hardware page (also 700 W)."),
    ("mlperf_v6_nebius_b200", "MLCommons", "MLPerf Inference v6.0 system description: Nebius B200 (n1)", 2026,
     "https://raw.githubusercontent.com/mlcommons/inference_results_v6.0/main/closed/Nebius/systems/nebius_b200_n1.json",
     "firm", "hw_notes: 'B200 TGP 1000W'; 8 x B200-SXM-180GB per node, air-cooled."),
    ("hf_hardware_b300", "Hugging Face", "Hardware: NVIDIA B300", 2026, "https://huggingface.co/hardware/b300", "secondary",
     "B300 power 1400 W."),
    ("glennklockwood_b200", "Glenn K. Lockwood", "B200 (notes)", 2025, "https://glennklockwood.com/garden/processors/B200",
     "secondary", "B200 1000 W maximum in HGX; the GB200 variant is configured at 1,200 W."),
    ("meterpreter_mi300x", "meterpreter.org", "AMD confirms Instinct MI300X power consumption up to 750W", 2023,
     "https://meterpreter.org/amd-confirms-instinct-mi300x-power-consumption-up-to-750w", "secondary",
     "MI300X OAM 750 W; preceding MI250X 560 W."),
    ("yobitel_mi325x", "Yobitel", "AMD MI325X (knowledge base)", 2025, "https://yobitel.com/knowledge-base/amd-mi325x", "secondary",
     "MI325X TDP ~1,000 W vs MI300X 750 W."),
    ("tomshardware_mi355x", "Tom's Hardware", "AMD's Instinct MI355X accelerator will reportedly consume 1,400 watts", 2025,
     "https://www.tomshardware.com/pc-components/gpus/amds-instinct-mi355x-accelerator-will-consume-1-400-watts", "secondary",
     "MI350X 1000 W designed for air cooling; MI355X up to 1400 W, primarily direct liquid cooling."),
    ("google_tpu_v4_docs", "Google Cloud", "Cloud TPU v4 documentation", 2025, "https://cloud.google.com/tpu/docs/v4", "firm",
     "Measured min/mean/max power per chip 90/170/192 W."),
    # Project models, one per method (anchors in data/README.md).
    ("afd_model_density_bands", "AI Factory Dashboard (this project)", "Model: rack-power log-normal per segment", 2026,
     f"{README}#model-density-bands", "model",
     "Segment averages and 10th/90th percentile ranges of rack power."),
    ("afd_model_power_distribution", "AI Factory Dashboard (this project)", "Model: share of racks per density band", 2026,
     f"{README}#model-power-distribution", "model", "Log-normal rack-power distributions discretised into the 7 bands."),
    ("afd_model_hgx_power", "AI Factory Dashboard (this project)", "Model: HGX-class 8-GPU server power", 2026,
     f"{README}#model-hgx-system-power", "model", "System power = 8 x GPU TDP / GPU share of server power."),
    ("afd_model_superchip_power", "AI Factory Dashboard (this project)", "Model: GB200 superchip power", 2026,
     f"{README}#model-superchip-power", "model", "2 x B200 at 1.2 kW + Grace CPU and memory."),
    ("afd_model_maturity", "AI Factory Dashboard (this project)", "Model: infrastructure maturity by segment", 2026,
     f"{README}#model-maturity", "model", "Per-segment split of public anchors; scored rubric."),
    ("afd_model_stack", "AI Factory Dashboard (this project)", "Model: power split of a GB200 NVL72 hall", 2026,
     f"{README}#model-stack", "model", "NVL72 rack composition plus PUE overhead split."),
]
SOURCES += [
    ("mlperf_v41_nvidia_dgx_h100", "MLCommons",
     "MLPerf Inference v4.1 results (closed, datacenter): NVIDIA DGX H100 (8x H100-SXM-80GB, TensorRT)", 2024,
     "https://github.com/mlcommons/inference_results_v4.1/tree/main/closed/NVIDIA/results/DGX-H100_H100-SXM-80GBx8_TRT",
     "firm", "Submitted by NVIDIA; LoadGen mlperf_log_summary.txt files of llama2-70b-99.9 Offline and Server, "
     "'Result is : VALID'. System file: 8 x H100-SXM-80GB, 2 x Xeon Platinum 8480C, air-cooled."),
    ("mlperf_v51_nvidia_gb200_nvl72", "MLCommons",
     "MLPerf Inference v5.1 results (closed, datacenter): NVIDIA 72x GB200-186GB_aarch64 (GB200 NVL72, TensorRT)", 2025,
     "https://github.com/ykamiset/inference_results_v5.1/tree/main/closed/NVIDIA/results/GB200-NVL72_GB200-186GB_aarch64x72_TRT",
     "secondary", "Read in a fork of mlcommons/inference_results_v5.1 (the official repository was not readable here); "
     "its results page says 'MLPerf Inference v5.1', 'Submitted by: NVIDIA', division closed, category datacenter. "
     "LoadGen summaries of llama3.1-405b Offline and Server, 'Result is : VALID'."),
    ("mlperf_v51_nvidia_gb300_nvl72", "MLCommons",
     "MLPerf Inference v5.1 results (closed, datacenter): NVIDIA 72x GB300-288GB_aarch64 (GB300 NVL72, TensorRT)", 2025,
     "https://github.com/ykamiset/inference_results_v5.1/tree/main/closed/NVIDIA/results/GB300-NVL72_GB300-288GB_aarch64x72_TRT",
     "secondary", "Read in a fork of mlcommons/inference_results_v5.1; LoadGen summaries of llama3.1-405b Offline and "
     "Server, 'Result is : VALID'."),
    ("mlperf_v51_nvidia_b200x8", "MLCommons",
     "MLPerf Inference v5.1 results (closed, datacenter): NVIDIA B200-SXM-180GBx8 (TensorRT)", 2025,
     "https://github.com/ntuhpc/inference_results_v5.1/blob/main/closed/NVIDIA/results/B200-SXM-180GBx8_TRT/README.md",
     "secondary", "Read in a fork of mlcommons/inference_results_v5.1: the system's results page ('Submitted by: "
     "NVIDIA', closed, datacenter; 8 x NVIDIA B200-SXM-180GB, 2 x Xeon Platinum 8570, air-cooled, 'B200 TGP 1000W') "
     "and its Results Table in tokens/s."),
]
SOURCE_IDS = {s[0] for s in SOURCES}


# --------------------------------------------------------------------------------------
# Hardware (reported anchors and the two modelled HGX servers).
# --------------------------------------------------------------------------------------
GPU_SHARE_OF_SERVER = 0.55  # calibrated: DGX H100 5.6/10.2 = 0.55, DGX B200 8.0/14.3 = 0.56


def hardware_rows() -> list[dict]:
    rows = []

    def acc(id_, vendor, name, year, watts, cooling, src, status, note):
        rows.append(dict(id=id_, kind="accelerator", vendor=vendor, name=name, year=year, accelerators=1,
                         power_kw=watts / 1000.0, cooling=cooling, default_rack_kw=None,
                         source_id=src, status=status, note=note))

    acc("a100_sxm", "NVIDIA", "A100 SXM4", 2020, 400, "air_or_liquid", "hf_hardware_a100", "reported",
        "400 W board power (SXM4). Air-cooled in DGX A100; liquid-cooled HGX variants exist.")
    acc("h100_sxm", "NVIDIA", "H100 SXM5", 2022, 700, "air_or_liquid", "runpod_h100_power", "reported",
        "Up to 700 W TDP.")
    acc("h100_pcie", "NVIDIA", "H100 PCIe", 2022, 350, "air", "nvidia_h100_pcie_brief", "reported",
        "Maximum TDP 350 W, passive heat sink cooled by system airflow.")
    acc("h200_sxm", "NVIDIA", "H200 SXM", 2024, 700, "air_or_liquid", "mlperf_v41_nvidia_h200", "reported",
        "TGP 700 W (NVIDIA's MLPerf Inference v4.1 system description).")
    acc("b200", "NVIDIA", "B200 (HGX)", 2024, 1000, "air_or_liquid", "mlperf_v6_nebius_b200", "reported",
        "TGP 1000 W in an air-cooled HGX B200 node; the GB200 variant runs at 1200 W (see gb200_superchip).")
    acc("b300", "NVIDIA", "B300 (Blackwell Ultra)", 2025, 1400, "air_or_liquid", "hf_hardware_b300", "reported",
        "1400 W; also quoted by Morgan Stanley via epium.com.")
    acc("gb200_superchip", "NVIDIA", "GB200 superchip (1 Grace + 2 B200)", 2024, 2700, "liquid",
        "afd_model_superchip_power", "modelled",
        "Modelled: 2 x 1.2 kW (B200 at the GB200 configuration, glennklockwood_b200) + 0.3 kW Grace CPU and LPDDR5X "
        "(assumed) = 2.7 kW; trade press quotes 2.7 kW. One superchip counts as one accelerator unit but holds 2 GPUs.")
    acc("mi250x", "AMD", "Instinct MI250X (OAM)", 2021, 560, "air_or_liquid", "meterpreter_mi300x", "reported", "560 W OAM.")
    acc("mi300x", "AMD", "Instinct MI300X (OAM)", 2023, 750, "air_or_liquid", "meterpreter_mi300x", "reported", "750 W OAM.")
    acc("mi325x", "AMD", "Instinct MI325X (OAM)", 2024, 1000, "air_or_liquid", "yobitel_mi325x", "reported", "~1000 W.")
    acc("mi350x", "AMD", "Instinct MI350X", 2025, 1000, "air", "tomshardware_mi355x", "reported",
        "1000 W module designed for air cooling.")
    acc("mi355x", "AMD", "Instinct MI355X", 2025, 1400, "liquid", "tomshardware_mi355x", "reported",
        "Up to 1400 W, designed primarily for direct liquid cooling (some air-cooled deployments possible).")
    acc("tpu_v4", "Google", "Cloud TPU v4 chip", 2021, 192, "liquid", "google_tpu_v4_docs", "reported",
        "Measured max 192 W per chip (mean 170 W). Cooling: TPU v4 pods are liquid-cooled (not stated on the cited page).")

    def sys_(id_, vendor, name, year, n, kw, cooling, rack_kw, src, status, note):
        rows.append(dict(id=id_, kind="system", vendor=vendor, name=name, year=year, accelerators=n,
                         power_kw=kw, cooling=cooling, default_rack_kw=rack_kw,
                         source_id=src, status=status, note=note))

    sys_("dgx_a100", "NVIDIA", "DGX A100", 2020, 8, 6.5, "air", 26.0, "nvidia_dgx_a100_guide", "reported",
         "6.5 kW max. default_rack_kw derived: 4 systems per rack x 6.5 kW = 26.0 kW (4 per rack as in NVIDIA's "
         "DGX SuperPOD B300 layout; the A100 reference layout itself was not re-read).")
    sys_("dgx_h100", "NVIDIA", "DGX H100/H200", 2022, 8, 10.2, "air", 40.8, "nvidia_dgx_h100_guide", "reported",
         "10.2 kW max. default_rack_kw derived: 4 systems per rack x 10.2 kW = 40.8 kW.")
    sys_("dgx_b200", "NVIDIA", "DGX B200", 2024, 8, 14.3, "air", 28.6, "nvidia_dgx_b200_guide", "reported",
         "14.3 kW max. default_rack_kw derived: 2 systems per rack x 14.3 kW = 28.6 kW, matching the SuperPOD B200 "
         "reference architecture's example rack of more than 25 kW (nvidia_superpod_b200_ra).")
    sys_("dgx_b300", "NVIDIA", "DGX B300", 2025, 8, 14.5, "air", 56.0, "nvidia_dgx_b300_press", "reported",
         "14.5 kW. default_rack_kw 56 kW reported by the SuperPOD B300 reference architecture (4 x DGX B300 per "
         "standard rack, nvidia_superpod_b300_ra).")
    h100_kw = round(8 * 0.700 / GPU_SHARE_OF_SERVER, 1)
    b200_kw = round(8 * 1.000 / GPU_SHARE_OF_SERVER, 1)
    sys_("hgx_h100_8gpu", "OEM", "HGX H100 8-GPU server", 2023, 8, h100_kw, "air", round(4 * h100_kw, 1),
         "afd_model_hgx_power", "modelled",
         f"Modelled: 8 x 0.70 kW / {GPU_SHARE_OF_SERVER} GPU share = {h100_kw} kW; the other 45% is CPUs, memory, "
         f"NICs, NVSwitch, fans and PSU losses. Rack: 4 servers x {h100_kw} kW.")
    sys_("hgx_b200_8gpu", "OEM", "HGX B200 8-GPU server", 2024, 8, b200_kw, "air_or_liquid", round(2 * b200_kw, 1),
         "afd_model_hgx_power", "modelled",
         f"Modelled: 8 x 1.00 kW / {GPU_SHARE_OF_SERVER} GPU share = {b200_kw} kW; the other 45% is CPUs, memory, "
         f"NICs, NVSwitch, fans and PSU losses. Rack: 2 servers x {b200_kw} kW as in the DGX B200 reference layout.")
    sys_("gb200_nvl72", "NVIDIA", "GB200 NVL72", 2024, 72, 132.0, "liquid", 132.0, "schneider_nvl72_132kw", "reported",
         "132 kW fully loaded (Schneider Electric); trade press also quotes ~120 kW (press_gb200_nvl72_120kw). "
         "One rack = one system.")
    sys_("gb300_nvl72", "NVIDIA", "GB300 NVL72", 2025, 72, 142.0, "liquid", 142.0, "press_gb300_nvl72_142kw", "reported",
         "~142 kW aggregate peak (trade press); other summaries quote ~120 kW typical and 132 kW power-shelf DC output "
         "(press_gb300_nvl72). One rack = one system.")
    sys_("rubin_ultra_nvl576", "NVIDIA", "Vera Rubin Ultra NVL576 (Kyber rack)", 2027, 576, 600.0, "liquid", 600.0,
         "tomshardware_rubin_ultra_2025", "reported",
         "announced: GTC 2025 roadmap, 2H 2027; up to 600 kW per rack. Not shipping; do not use as installed base.")
    return rows


# --------------------------------------------------------------------------------------
# Rack density and the log-normal segment model.
# --------------------------------------------------------------------------------------
# Industry average: fitted to Uptime's modal-density questions (share of sites).
UPTIME_2021_BELOW_5 = 0.34   # "more than one-third" below 5 kW, read as 34%
UPTIME_2021_5_TO_10 = 0.48   # "nearly half" 5-10 kW
UPTIME_2025_ABOVE_10 = 0.26  # "more than a quarter" above 10 kW


def industry_fit() -> tuple[float, float, float]:
    """sigma and log-medians for 2021 and 2025 of the industry-average log-normal."""
    z5 = N.inv_cdf(UPTIME_2021_BELOW_5)
    z10 = N.inv_cdf(UPTIME_2021_BELOW_5 + UPTIME_2021_5_TO_10)
    sigma = (math.log(10) - math.log(5)) / (z10 - z5)
    mu21 = math.log(5) - sigma * z5
    mu25 = math.log(10) - sigma * N.inv_cdf(1 - UPTIME_2025_ABOVE_10)
    return sigma, mu21, mu25


SIGMA_IND, MU21, MU25 = industry_fit()
SIGMA = {"industry_average": SIGMA_IND, "enterprise": 0.45, "colocation": 0.55, "hyperscale": 0.60, "ai_factory": 0.35}
# Modelled means for the segments without a survey series: mean(y) = start * (1 + g) ** (y - 2020)
SEGMENT_GROWTH = {"enterprise": (6.0, 0.05), "colocation": (8.0, 0.11), "hyperscale": (12.0, 0.15)}

# AI factory: reference rack of the platform that dominates new AI-factory builds each year.
AI_FACTORY_RACK = {
    2020: (26.0, "nvidia_dgx_a100_guide", "4 x DGX A100 per rack x 6.5 kW = 26.0 kW"),
    2021: (26.0, "nvidia_dgx_a100_guide", "4 x DGX A100 per rack x 6.5 kW = 26.0 kW (A100 still the volume platform)"),
    2022: (40.8, "nvidia_dgx_h100_guide", "4 x DGX H100 per rack x 10.2 kW = 40.8 kW"),
    2023: (40.8, "nvidia_dgx_h100_guide", "4 x DGX H100/H200 per rack x 10.2 kW = 40.8 kW"),
    2024: (132.0, "schneider_nvl72_132kw", "1 x GB200 NVL72 per rack x 132 kW = 132 kW (launched 2024, first racks shipped late 2024)"),
    2025: (132.0, "schneider_nvl72_132kw", "1 x GB200 NVL72 per rack x 132 kW = 132 kW (volume year)"),
    2026: (142.0, "press_gb300_nvl72_142kw", "1 x GB300 NVL72 per rack x 142 kW = 142 kW"),
}


def segment_mean(segment: str, year: int) -> float:
    if segment == "industry_average":
        return math.exp(industry_mu(year) + SIGMA_IND ** 2 / 2)
    if segment == "ai_factory":
        return AI_FACTORY_RACK[year][0]
    start, g = SEGMENT_GROWTH[segment]
    return start * (1 + g) ** (year - 2020)


def industry_mu(year: int) -> float:
    return MU21 + (MU25 - MU21) * (year - 2021) / 4


def lognormal_params(segment: str, year: int) -> tuple[float, float]:
    """(mu, sigma) of ln(rack kW). The mean of the log-normal equals the segment average."""
    sigma = SIGMA[segment]
    if segment == "industry_average":
        return industry_mu(year), sigma
    return math.log(segment_mean(segment, year)) - sigma ** 2 / 2, sigma


def rack_density_rows() -> list[dict]:
    rows = []

    def add(year, segment, stat, kw, src, status, note):
        rows.append(dict(year=year, segment=segment, statistic=stat, kw_per_rack=round(kw, 1),
                         source_id=src, status=status, note=note))

    # Reported survey averages (industry_average). AFCOM and Uptime measure differently: separate rows.
    add(2020, "industry_average", "average", 8.4, "uptime_gdcs_2020", "reported", "Uptime mean average density, 2020 survey.")
    afcom = {2016: 6.1, 2021: 7.0, 2024: 12.0, 2025: 16.0, 2026: 27.0}
    afcom_src = {2021: "afcom_sotdc_2021", 2024: "afcom_sotdc_2024", 2025: "afcom_sotdc_2025", 2026: "afcom_sotdc_2026"}
    for y, src in afcom_src.items():
        add(y, "industry_average", "average", afcom[y], src, "reported", "AFCOM State of the Data Center average density.")
    # AFCOM series gaps: constant-growth interpolation between AFCOM anchors.
    for y, (a, b) in {2020: (2016, 2021), 2022: (2021, 2024), 2023: (2021, 2024)}.items():
        v = afcom[a] * (afcom[b] / afcom[a]) ** ((y - a) / (b - a))
        add(y, "industry_average", "average", v, afcom_src[b], "derived",
            f"Log-linear interpolation of AFCOM averages {a} ({afcom[a]:g} kW) and {b} ({afcom[b]:g} kW): "
            f"{afcom[a]:g} x ({afcom[b]:g}/{afcom[a]:g})^(({y}-{a})/({b}-{a})).")

    # Modelled log-normal series for every segment.
    for segment in ("industry_average", "enterprise", "colocation", "hyperscale", "ai_factory"):
        for y in YEARS:
            mu, sigma = lognormal_params(segment, y)
            median = math.exp(mu)
            mean = median * math.exp(sigma ** 2 / 2)
            p10, p90 = median * math.exp(-Z90 * sigma), median * math.exp(Z90 * sigma)
            base = f"Log-normal rack power, sigma={sigma:.3f}, median={median:.2f} kW"
            if segment == "ai_factory":
                kw, src, how = AI_FACTORY_RACK[y]
                add(y, segment, "average", kw, src, "derived",
                    f"Reference rack of the dominant NVIDIA platform in new AI-factory halls, not a survey mean: {how}.")
            else:
                if segment == "industry_average":
                    how = (f"fitted to Uptime modal-density shares (2021: {UPTIME_2021_BELOW_5:.0%} <5 kW, "
                           f"{UPTIME_2021_5_TO_10:.0%} 5-10 kW; 2025: {UPTIME_2025_ABOVE_10:.0%} >10 kW), "
                           "log-median linear in year")
                else:
                    start, g = SEGMENT_GROWTH[segment]
                    how = f"mean = {start:g} kW x (1+{g:g})^(year-2020)"
                add(y, segment, "average", mean, "afd_model_density_bands", "modelled",
                    f"Modelled mean; {how}. {base}.")
            add(y, segment, "low", p10, "afd_model_density_bands", "modelled", f"10th percentile. {base}.")
            add(y, segment, "high", p90, "afd_model_density_bands", "modelled", f"90th percentile. {base}.")
    return rows


# --------------------------------------------------------------------------------------
# Power distribution: the same log-normals discretised into bands.
# --------------------------------------------------------------------------------------
BANDS = [("<5 kW", 1, 0.0, 5.0), ("5-10 kW", 2, 5.0, 10.0), ("10-20 kW", 3, 10.0, 20.0),
         ("20-30 kW", 4, 20.0, 30.0), ("30-50 kW", 5, 30.0, 50.0), ("50-100 kW", 6, 50.0, 100.0),
         (">100 kW", 7, 100.0, None)]
PROFILES = ["industry_average", "enterprise", "colocation", "hyperscale", "ai_factory"]


def lognormal_cdf(x: float | None, mu: float, sigma: float) -> float:
    if x is None:
        return 1.0
    if x <= 0:
        return 0.0
    return N.cdf((math.log(x) - mu) / sigma)


def round_to_100(shares: list[float], protect: set[int]) -> list[float]:
    """Round to 0.1 and put the rounding residue on the largest band not protected."""
    rounded = [round(s * 100, 1) for s in shares]
    residue = round(100.0 - sum(rounded), 1)
    candidates = [i for i in range(len(rounded)) if i not in protect] or list(range(len(rounded)))
    largest = max(candidates, key=lambda i: (rounded[i], -i))
    rounded[largest] = round(rounded[largest] + residue, 1)
    return rounded


def power_distribution_rows() -> list[dict]:
    rows = []
    for y in YEARS:
        for profile in PROFILES:
            mu, sigma = lognormal_params(profile, y)
            shares = [lognormal_cdf(hi, mu, sigma) - lognormal_cdf(lo, mu, sigma) for _, _, lo, hi in BANDS]
            anchored = profile == "industry_average" and y == 2021
            pct = round_to_100(shares, protect={0, 1} if anchored else set())
            mean = math.exp(mu + sigma ** 2 / 2)
            for (band, order, lo, hi), share in zip(BANDS, pct):
                if anchored and order in (1, 2):
                    src, status = "uptime_gdcs_2021", "derived"
                    note = ("Log-normal fitted through Uptime 2021 modal-density shares (>33% read as 34% below 5 kW, "
                            "~48% at 5-10 kW); reproduces the reported share. Shares of sites, used as shares of racks.")
                else:
                    src, status = "afd_model_power_distribution", "modelled"
                    note = (f"P({lo:g} <= rack kW < {hi:g})" if hi is not None else f"P(rack kW >= {lo:g})")
                    note += (f" under log-normal mu={mu:.4f}, sigma={sigma:.3f} (mean {mean:.1f} kW from rack_density "
                             f"{profile}); rounded to 0.1 with the residue on the largest band.")
                rows.append(dict(year=y, profile=profile, band=band, band_order=order, band_min_kw=lo, band_max_kw=hi,
                                 share_pct=share, source_id=src, status=status, note=note))
    return rows


# --------------------------------------------------------------------------------------
# Maturity (2026).
# --------------------------------------------------------------------------------------
DIMENSIONS = ["Liquid cooling", "High-density zones", "AI-ready networking", "Orchestration & automation",
              "Dynamic scaling", "Continuous pipelines"]
MATURITY_SEGMENTS = ["hyperscale", "ai_native_cloud", "colocation", "enterprise"]
MATURITY_2026 = {
    # segment: liquid cooling % of operators, then index 0-100 for the other five dimensions
    "hyperscale": (80, 85, 90, 90, 85, 80),
    "ai_native_cloud": (95, 95, 95, 85, 80, 90),
    "colocation": (45, 55, 50, 45, 35, 25),
    "enterprise": (20, 25, 30, 40, 30, 30),
}
MATURITY_NOTES = {
    "Liquid cooling": "Modelled split of the all-respondent anchors (AFCOM 2026: 36% deployed; Uptime 2025: 18% using DLC). "
                      "Enterprise near the Uptime DLC share; colocation above the AFCOM average; hyperscale and AI-native "
                      "clouds run GB200/GB300 NVL72 racks, which require direct liquid cooling.",
    "High-density zones": "Rubric score (0 none, 25 pilots, 50 some sites, 75 standard in new builds, 100 universal) for "
                          "halls above 30 kW/rack. Anchors: Uptime 2025 'few facilities exceed 30 kW'; NVL72 racks 132-142 kW.",
    "AI-ready networking": "Rubric score for 400/800G lossless AI back-end fabrics. Anchor: Dell'Oro 2025, Ethernet >2/3 of "
                           "AI back-end switch sales, driven by hyperscalers and AI clouds.",
    "Orchestration & automation": "Rubric score for GPU cluster scheduling and automated operations. Anchor: AFCOM 2025, "
                                  "~65% deploying AI-capable solutions; Uptime 2025, ~one-third run AI workloads.",
    "Dynamic scaling": "Rubric score for real-time reallocation of accelerators across jobs (article: 'real-time resource "
                       "scaling'). No survey figure found; judgement from the same anchors.",
    "Continuous pipelines": "Rubric score for ingest-train-evaluate-deploy loops running continuously. No survey figure "
                            "found; judgement from the article and Uptime's one-third AI adoption.",
}


def maturity_rows() -> list[dict]:
    rows = []
    for seg in MATURITY_SEGMENTS:
        for dim, value in zip(DIMENSIONS, MATURITY_2026[seg]):
            unit = "% of operators" if dim == "Liquid cooling" else "index 0-100"
            rows.append(dict(year=2026, segment=seg, dimension=dim, value=float(value), unit=unit,
                             source_id="afd_model_maturity", status="modelled", note=MATURITY_NOTES[dim]))
    # Reported all-industry anchors (segment industry_average).
    for year, value, src, note in [
        (2024, 17.0, "afcom_sotdc_2024_cooling", "AFCOM 2024: respondents that adopted liquid cooling."),
        (2025, 18.0, "uptime_cooling_2025", "Uptime Cooling Systems Survey 2025: respondents already using direct liquid cooling."),
        (2026, 36.0, "afcom_sotdc_2026_cooling", "AFCOM 2026: respondents with liquid cooling deployed (RDHx included)."),
    ]:
        rows.append(dict(year=year, segment="industry_average", dimension="Liquid cooling", value=value,
                         unit="% of respondents", source_id=src, status="reported", note=note))
    return rows


# --------------------------------------------------------------------------------------
# Stack: where the facility power of a GB200 NVL72 hall goes.
# --------------------------------------------------------------------------------------
PUE_REF = 1.25
RACK_KW = 120.0  # GB200 NVL72 typical operating draw (press_gb200_nvl72_120kw)
STACK_KW = [
    # layer_order, layer, component, examples, kW per compute rack (IT or overhead), note
    (1, "Accelerated compute", "GPU accelerators", "B200 in GB200 superchips; B300, H100/H200, MI355X in other halls",
     72 * 1.2, "72 GPUs x 1.2 kW (GB200 configuration, glennklockwood_b200)"),
    (1, "Accelerated compute", "Host CPUs & memory", "Grace CPU + LPDDR5X (36 per NVL72); x86 hosts in HGX/DGX",
     36 * 0.3, "36 Grace CPUs with memory x 0.3 kW (assumed)"),
    (1, "Accelerated compute", "Board power conversion & drives", "VRMs, NVMe drives, BMC in the 18 compute trays",
     4.1, "remainder of the 120 kW rack after the other in-rack items"),
    (2, "Networking & interconnect", "NVLink scale-up fabric", "9 NVLink Switch trays (NVLink 5), copper spine",
     3.6, "9 switch trays, 3.6 kW total (press_gb300_nvl72)"),
    (2, "Networking & interconnect", "NICs & DPUs", "ConnectX-7/8 SuperNICs, BlueField-3 DPUs",
     4.5, "18 trays x 0.25 kW (assumed)"),
    (2, "Networking & interconnect", "Scale-out fabric", "InfiniBand Quantum-X800 or Spectrum-X Ethernet switches, 800G optics",
     0.05 * RACK_KW, "5% of compute-rack IT power (assumed)"),
    (3, "Power delivery", "Rack power shelves", "in-rack AC/DC power shelves, busbar; 800 VDC shelves in next designs",
     0.03 * RACK_KW, "3% conversion loss of the 120 kW rack (assumed 97% efficient)"),
    (3, "Power delivery", "UPS & distribution losses", "UPS, transformers, switchgear, busway, PDUs",
     None, "20% of the PUE overhead"),
    (3, "Power delivery", "Ancillary building loads", "lighting, security, offices", None, "5% of the PUE overhead"),
    (4, "Cooling", "In-rack fans", "fans cooling the air-side share of the hybrid-cooled NVL72 rack",
     7.0, "7 kW per rack (assumed; the rack is hybrid liquid + air cooled)"),
    (4, "Cooling", "CDUs & cold plates", "coolant distribution units, cold plates, manifolds, quick disconnects",
     None, "10% of the PUE overhead (pumps)"),
    (4, "Cooling", "Heat rejection", "chillers, dry coolers, cooling towers", None, "50% of the PUE overhead"),
    (4, "Cooling", "Air handling for residual heat", "CRAH units, fan walls, rear-door heat exchangers",
     None, "15% of the PUE overhead"),
    (5, "Storage & data pipelines", "High-performance storage", "all-flash parallel file systems (e.g. DDN, VAST, WEKA, NetApp)",
     0.03 * RACK_KW, "3% of compute-rack IT power (assumed)"),
    (5, "Storage & data pipelines", "Data ingest & preprocessing nodes", "CPU servers for ETL, tokenisation, feature pipelines",
     0.01 * RACK_KW, "1% of compute-rack IT power (assumed)"),
    (6, "Orchestration & software", "Management & control-plane servers", "Base Command Manager / Mission Control head nodes, UFM",
     0.01 * RACK_KW, "1% of compute-rack IT power (assumed)"),
    (6, "Orchestration & software", "Cluster scheduling", "Slurm, Kubernetes, Run:ai", 0.0, "software: no power of its own"),
    (6, "Orchestration & software", "AI frameworks & serving", "CUDA, NeMo, TensorRT-LLM, Dynamo, vLLM", 0.0,
     "software: no power of its own"),
    (6, "Orchestration & software", "DCIM & telemetry", "power/cooling monitoring, leak detection, Mission Control",
     0.0, "software: no power of its own"),
]
OVERHEAD_SPLIT = {"UPS & distribution losses": 0.20, "Ancillary building loads": 0.05, "CDUs & cold plates": 0.10,
                  "Heat rejection": 0.50, "Air handling for residual heat": 0.15}


def stack_rows() -> list[dict]:
    it_kw = sum(kw for *_, kw, _ in STACK_KW if kw is not None)
    overhead = it_kw * (PUE_REF - 1)
    kws = [kw if kw is not None else overhead * OVERHEAD_SPLIT[comp] for _, _, comp, _, kw, _ in STACK_KW]
    facility = it_kw + overhead
    pct = round_to_100([k / facility for k in kws], protect=set())
    rows = []
    for (order, layer, comp, examples, _, how), kw, share in zip(STACK_KW, kws, pct):
        rows.append(dict(layer_order=order, layer=layer, component=comp, examples=examples, power_share_pct=share,
                         source_id="afd_model_stack", status="modelled",
                         note=f"{how}: {kw:.2f} kW of {facility:.1f} kW facility power per NVL72 rack "
                              f"(IT {it_kw:.1f} kW x PUE {PUE_REF})."))
    return rows


# --------------------------------------------------------------------------------------
# Electricity.
# --------------------------------------------------------------------------------------
def electricity_rows() -> list[dict]:
    rows = []

    def add(year, region, scenario, twh, src, status, note):
        rows.append(dict(year=year, region=region, scenario=scenario, twh=round(twh, 1), source_id=src,
                         status=status, note=note))

    def interp(region, scenario, y0, v0, y1, v1, src):
        g = (v1 / v0) ** (1 / (y1 - y0))
        for y in range(y0 + 1, y1):
            add(y, region, scenario, v0 * g ** (y - y0), src, "derived",
                f"Constant-growth interpolation between {y0} ({v0:g} TWh) and {y1} ({v1:g} TWh): "
                f"{v0:g} x {g:.4f}^({y}-{y0}).")

    # LBNL, United States.
    add(2014, "us", "historical", 58, "lbnl_2024_energy_report", "reported", "LBNL 2024 report.")
    add(2018, "us", "historical", 76, "lbnl_2024_energy_report_rto", "reported", "LBNL 2024 report.")
    interp("us", "historical", 2018, 76, 2023, 176, "lbnl_2024_energy_report")
    add(2023, "us", "historical", 176, "lbnl_2024_energy_report", "reported", "LBNL 2024 report (4.4% of US electricity).")
    for scen, v in (("low", 325), ("high", 580)):
        interp("us", scen, 2023, 176, 2028, v, "lbnl_2024_energy_report")
        add(2028, "us", scen, v, "lbnl_2024_energy_report", "reported", f"LBNL 2024 report, 2028 {scen} scenario.")

    # IEA, global.
    growth = 0.12
    for y in range(2020, 2024):
        add(y, "global", "historical", 415 / (1 + growth) ** (2024 - y), "iea_energy_ai_2025_growth", "derived",
            f"Back-cast from 415 TWh (2024) at the IEA-reported ~12%/yr: 415 / 1.12^(2024-{y}).")
    add(2024, "global", "historical", 415, "iea_energy_ai_2025", "reported", "IEA Energy and AI, 2024 estimate.")
    for scen, v, src in (("base", 945, "iea_energy_ai_2025"), ("lift_off", 1264, "iea_energy_ai_2025_cases"),
                         ("headwinds", 669, "iea_energy_ai_2025_cases")):
        interp("global", scen, 2024, 415, 2030, v, src)
        add(2030, "global", scen, v, src, "reported", f"IEA Energy and AI, 2030 {scen} case.")
    # IEA regions, Base Case.
    for region, v24, v30 in (("us", 183, 426), ("china", 102, 277), ("europe", 68, 113)):
        add(2024, region, "historical", v24, "iea_energy_ai_2025_regions", "reported", "IEA Energy and AI, 2024 estimate.")
        interp(region, "base", 2024, v24, 2030, v30, "iea_energy_ai_2025_regions")
        add(2030, region, "base", v30, "iea_energy_ai_2025_regions", "reported", "IEA Energy and AI, 2030 Base Case.")
    return rows


# --------------------------------------------------------------------------------------
# Throughput: MLPerf Inference results (closed division), only as submitted. A catalog
# system with no row here has no submission that was read; nothing is estimated.
# --------------------------------------------------------------------------------------
V51_FORK = "github.com/ykamiset/inference_results_v5.1 (fork of mlcommons/inference_results_v5.1)"
V51_B200 = ("github.com/ntuhpc/inference_results_v5.1 (fork of mlcommons/inference_results_v5.1), "
            "closed/NVIDIA/results/B200-SXM-180GBx8_TRT/README.md, Results Table")


def throughput_rows() -> list[dict]:
    rows = []

    def run(hw, benchmark, scenario, tokens_per_s, gpus, round_, system, src, quote, seen_at, note):
        rows.append(dict(hardware_id=hw, benchmark=benchmark, scenario=scenario, tokens_per_s=tokens_per_s,
                         accelerators=gpus, mlperf_round=round_, submitter="NVIDIA", mlperf_system=system,
                         division="closed", source_id=src, status="reported", quote=quote, seen_at=seen_at,
                         note=note))

    h100 = "closed/NVIDIA/results/DGX-H100_H100-SXM-80GBx8_TRT/llama2-70b-99.9/{}/performance/run_1/mlperf_log_summary.txt"
    run("dgx_h100", "llama2-70b-99.9", "offline", 24524.9, 8, "v4.1", "DGX-H100_H100-SXM-80GBx8_TRT",
        "mlperf_v41_nvidia_dgx_h100", "Tokens per second: 24524.9",
        "github.com/mlcommons/inference_results_v4.1, " + h100.format("Offline"),
        "NVIDIA DGX H100 (8x H100-SXM-80GB, TensorRT), the catalog's DGX H100.")
    run("dgx_h100", "llama2-70b-99.9", "server", 21605.79, 8, "v4.1", "DGX-H100_H100-SXM-80GBx8_TRT",
        "mlperf_v41_nvidia_dgx_h100", "Completed tokens per second: 21605.79",
        "github.com/mlcommons/inference_results_v4.1, " + h100.format("Server"),
        "Server scenario: TTFT and TPOT latency constraints satisfied.")
    gb = "closed/NVIDIA/results/{}/llama3.1-405b/{}/performance/run_1/mlperf_log_summary.txt"
    for hw, system, src, offline, server in (
        ("gb200_nvl72", "GB200-NVL72_GB200-186GB_aarch64x72_TRT", "mlperf_v51_nvidia_gb200_nvl72", "14774.3", "11614.28"),
        ("gb300_nvl72", "GB300-NVL72_GB300-288GB_aarch64x72_TRT", "mlperf_v51_nvidia_gb300_nvl72", "16104.1", "12248.42"),
    ):
        note = f"72 GPUs in one NVL72 rack, the catalog's {hw}."
        run(hw, "llama3.1-405b", "offline", float(offline), 72, "v5.1", system, src,
            f"Tokens per second: {offline}", f"{V51_FORK}, {gb.format(system, 'Offline')}", note)
        run(hw, "llama3.1-405b", "server", float(server), 72, "v5.1", system, src,
            f"Completed tokens per second: {server}", f"{V51_FORK}, {gb.format(system, 'Server')}", note)
    b200_note = ("8 x B200-SXM-180GB with 2 x Xeon Platinum 8570, air-cooled: matched to the catalog's DGX B200 "
                 "(the results page names the system by its GPUs, not as DGX).")
    for benchmark, server, offline in (("llama2-70b-99", "99123.00", "101527.00"),
                                       ("llama2-70b-99.9", "99123.00", "101527.00"),
                                       ("llama3.1-405b", "1240.42", "1624.11")):
        run("dgx_b200", benchmark, "offline", float(offline), 8, "v5.1", "B200-SXM-180GBx8_TRT",
            "mlperf_v51_nvidia_b200x8", f"Results Table, row {benchmark}, Offline: Tokens/s {offline}", V51_B200, b200_note)
        run("dgx_b200", benchmark, "server", float(server), 8, "v5.1", "B200-SXM-180GBx8_TRT",
            "mlperf_v51_nvidia_b200x8", f"Results Table, row {benchmark}, Server: Tokens/s {server}", V51_B200, b200_note)
    return rows


# --------------------------------------------------------------------------------------
# Writing.
# --------------------------------------------------------------------------------------
COLUMNS = {
    "sources": ["source_id", "publisher", "title", "year", "url", "status", "note"],
    "rack_density": ["year", "segment", "statistic", "kw_per_rack", "source_id", "status", "note"],
    "power_distribution": ["year", "profile", "band", "band_order", "band_min_kw", "band_max_kw", "share_pct",
                           "source_id", "status", "note"],
    "maturity": ["year", "segment", "dimension", "value", "unit", "source_id", "status", "note"],
    "stack": ["layer_order", "layer", "component", "examples", "power_share_pct", "source_id", "status", "note"],
    "hardware": ["id", "kind", "vendor", "name", "year", "accelerators", "power_kw", "cooling", "default_rack_kw",
                 "source_id", "status", "note"],
    "electricity": ["year", "region", "scenario", "twh", "source_id", "status", "note"],
    "throughput": ["hardware_id", "benchmark", "scenario", "tokens_per_s", "accelerators", "mlperf_round",
                   "submitter", "mlperf_system", "division", "source_id", "status", "quote", "seen_at", "note"],
}


def fmt(value) -> str:
    if value is None:
        return ""
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
            writer.writerow([fmt(row[c]) for c in columns])


def build(out_dir: Path) -> list[Path]:
    tables = {
        "sources": [dict(zip(COLUMNS["sources"], s)) for s in SOURCES],
        "rack_density": rack_density_rows(),
        "power_distribution": power_distribution_rows(),
        "maturity": maturity_rows(),
        "stack": stack_rows(),
        "hardware": hardware_rows(),
        "electricity": electricity_rows(),
        "throughput": throughput_rows(),
    }
    for name, rows in tables.items():
        for row in rows:
            if name != "sources" and row["source_id"] not in SOURCE_IDS:
                raise ValueError(f"{name}: unknown source_id {row['source_id']}")
    written = []
    for name, rows in tables.items():
        path = out_dir / ("sources.csv" if name == "sources" else f"reference/{name}.csv")
        write_csv(path, COLUMNS[name], rows)
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DATA_DIR, help="directory to write into (default: data/)")
    args = parser.parse_args()
    for path in build(args.out):
        print(path)


if __name__ == "__main__":
    main()
