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
    # Hardware power ledger (issue 13): sources read on 2026-12-02 with the project's search tool.
    ("dell_genai_inference_guide", "Dell Technologies",
     "Design Guide: Generative AI in the Enterprise, Inferencing (Dell PowerEdge servers and NVIDIA GPUs)", 2024,
     "https://infohub.delltechnologies.com/l/design-guide-generative-ai-in-the-enterprise-inferencing/dell-poweredge-servers-and-nvidia-gpus/",
     "firm", "Table of NVIDIA GPUs: maximum TDP 700 W (H100 SXM, PowerEdge XE9680), 350 W (H100 PCIe)."),
    ("nvidia_dps_device_specs", "NVIDIA", "Dynamic Power Software (DPS): Device Specifications", 2025,
     "https://docs.nvidia.com/datacenter/dps/versions/latest/guides/concepts/device-specifications.html", "firm",
     "Shipped registry: GB200 compute tray (Bianca) maxLoadWatts 6667 (2 Grace + 4 GB200 GPUs); GB200 GPU 1200 W; Grace CPU 420 W."),
    ("nvidia_mission_control_powershelf", "NVIDIA", "Base Command Manager / Mission Control: BCM Power Shelf Integration", 2025,
     "https://docs.nvidia.com/base-command-manager/product-manuals/nvidia-mission-control/powershelf.md", "firm",
     "GB200 rack reference design: 8 power shelves x 6 PSUs; each PSU rated up to 5.5 kW, each shelf up to 33 kW."),
    ("supercluster_dgx_h100_power", "supercluster.blog", "AI Supercluster: NVIDIA DGX Power, Cooling, and Efficiency", 2024,
     "https://www.supercluster.blog/p/6-ai-supercluster-nvidia-dgx-h100", "secondary",
     "DGX H100: maximum up to 10.2 kW at full load; typical 6.5-8.5 kW. Its PSU description disagrees with NVIDIA's."),
    ("wemedia_rubin_cooling", "WeMedia", "Il sistema di raffreddamento di Nvidia NVL72 costa 50.000 dollari", 2025,
     "https://www.wemedia.it/news/il_sistema_di_raffreddamento_di_nvidia_nvl72_costa_50_000-11481.html", "secondary",
     "Italian summary of Morgan Stanley's cooling model: Rubin GPUs up to 1,800 W each in Vera Rubin NVL144."),
    ("techstories_vera_rubin_power", "Techstories (Paul Mah)", "What it takes to support Nvidia's Vera Rubin GPU", 2025,
     "https://www.techstories.co/what-it-takes-to-support-nvidias-vera-rubin-gpu", "secondary",
     "120-130 kW per rack for Vera Rubin NVL72, 190 kW for the NVL144, 370 kW for NVL144 CPX, 600 kW for Rubin Ultra."),
    ("linkcentre_vera_rubin", "Linkcentre", "Vera Rubin: Nvidia's upcoming AI platform", 2026,
     "https://www.linkcentre.com/news/vera-rubin-nvidias-upcoming-ai-platform/", "secondary",
     "Vera Rubin rack: 72 Rubin GPUs and 36 Vera CPUs; fully liquid-cooled."),
    ("servethehome_mi350", "ServeTheHome", "AMD MI350 and CDNA 4 Architecture Launched with ROCm 7", 2025,
     "https://www.servethehome.com/amd-mi350-and-cdna-4-architecture-launched-with-rocm-7/", "secondary",
     "MI350 platforms use the 8-GPU OAM UBB; MI350X air-cooled and MI355X liquid-cooled platforms."),
    ("afd_model_platform_power", "AI Factory Dashboard (this project)", "Model: 8-GPU platform power without a published figure", 2026,
     f"{README}#model-platform-power", "model", "System power = 8 x GPU maximum + host overhead of the NVIDIA DGX of the same class."),
]
SOURCE_IDS = {s[0] for s in SOURCES}


# --------------------------------------------------------------------------------------
# Hardware: the ledger of published power figures (hardware_power) and the catalog
# (hardware) whose power_kw is the ledger's sizing figure at the maximum basis.
# --------------------------------------------------------------------------------------
POWER_BASES = ("maximum", "typical", "measured", "rated_capacity")
NOT_REREAD = ("Quote as recorded in data/sources.csv by an earlier session of this project; "
              "the page was not re-read for issue 13.")

# Host overhead of an 8-GPU baseboard server = DGX system maximum - 8 x its GPU maximum
# (afd_model_platform_power): DGX H100 10.2 - 8 x 0.70 = 4.6 kW; DGX B200 14.3 - 8 x 1.0 = 6.3 kW.
HOST_OVERHEAD_KW = {"h100_class": round(10.2 - 8 * 0.70, 2), "b200_class": round(14.3 - 8 * 1.0, 2)}


def _platform_model_kw(gpu_kw: float, host_class: str) -> float:
    return round(8 * gpu_kw + HOST_OVERHEAD_KW[host_class], 2)


# One row per published figure: (hardware_id, basis, power_kw per unit (per GPU for an
# accelerator, per system for a system), scope, sizing, source_id, status, quote, seen_at, note).
# ``sizing`` marks the one figure per (hardware_id, basis) that sizes fleets at that basis;
# every other figure stays beside it, sourced. seen_at "" means the source's url.
POWER_FIGURES = [
    # Accelerators (per GPU package).
    ("a100_sxm", "maximum", 0.4, "GPU board (SXM4)", True, "hf_hardware_a100", "reported",
     "A100 (SXM, 80 GB) power 400 W", "", NOT_REREAD),
    ("h100_sxm", "maximum", 0.7, "GPU (SXM5), maximum TDP", True, "dell_genai_inference_guide", "reported",
     "Max thermal design power (TDP) | 700 W", "", "Dell's table for the H100 SXM GPU in the PowerEdge XE9680."),
    ("h100_sxm", "maximum", 0.7, "GPU (SXM5), TDP", False, "runpod_h100_power", "reported",
     "H100 SXM up to 700 W TDP", "", NOT_REREAD),
    ("h100_pcie", "maximum", 0.35, "PCIe card, maximum TDP", True, "nvidia_h100_pcie_brief", "reported",
     "operates unconstrained up to its maximum thermal design power (TDP) level of 350 W", "", ""),
    ("h100_pcie", "maximum", 0.35, "PCIe card, maximum TDP", False, "dell_genai_inference_guide", "reported",
     "Max thermal design power (TDP) | 700 W | 350 W", "", "Dell's table: 350 W in the H100 PCIe column."),
    ("h200_sxm", "maximum", 0.7, "GPU (SXM), TGP", True, "mlperf_v41_nvidia_h200", "reported",
     "H200 TGP 700W", "", NOT_REREAD),
    ("b200", "maximum", 1.0, "GPU (SXM) in an air-cooled HGX B200 node, TGP", True, "mlperf_v6_nebius_b200",
     "reported", "B200 TGP 1000W", "", ""),
    ("b300", "maximum", 1.4, "GPU (SXM)", True, "hf_hardware_b300", "reported", "Power 1400W", "", ""),
    ("gb200", "maximum", 1.2, "B200 GPU in a GB200 compute tray, maximum settable power", True,
     "nvidia_dps_device_specs", "reported", "description: NVIDIA GB200 GPU ... maxLoadWatts: 1200", "",
     "NVIDIA DPS shipped registry: GPU model GB200, minLoadWatts 200, maxLoadWatts 1200."),
    ("gb300", "maximum", 1.4, "Blackwell Ultra GPU in a GB300 NVL72", True, "press_gb200_nvl72_120kw", "reported",
     "GB300 NVL72 ... featuring Blackwell Ultra GPUs with 288GB HBM3e memory, 1.4kW power per GPU", "", ""),
    ("rubin", "maximum", 1.8, "Rubin GPU (announced), TDP", True, "wemedia_rubin_cooling", "reported",
     "le Rubin GPUs fino a 1,800W per unità", "", "Italian press summary of Morgan Stanley's cooling model; announced part."),
    ("mi250x", "maximum", 0.56, "OAM module", True, "meterpreter_mi300x", "reported",
     "the 560W of the preceding CDNA2 architecture's MI250X", "", ""),
    ("mi300x", "maximum", 0.75, "OAM module", True, "meterpreter_mi300x", "reported",
     "a single OAM module draws a whopping 750W", "", ""),
    ("mi325x", "maximum", 1.0, "OAM module", True, "yobitel_mi325x", "reported",
     "MI325X TDP ~1,000 W vs MI300X 750 W", "", NOT_REREAD),
    ("mi350x", "maximum", 1.0, "module, air-cooled", True, "tomshardware_mi355x", "reported",
     "the default Instinct MI350X module with a 1000W power consumption designed for air cooling", "", ""),
    ("mi355x", "maximum", 1.4, "module, liquid-cooled", True, "tomshardware_mi355x", "reported",
     "the higher-performance Instinct MI355X that will consume up to 1400W", "", ""),
    ("tpu_v4", "maximum", 0.192, "chip, measured maximum", True, "google_tpu_v4_docs", "reported",
     "Measured min/mean/max power per chip 90/170/192 W", "", NOT_REREAD),
    ("tpu_v4", "measured", 0.17, "chip, measured mean", True, "google_tpu_v4_docs", "reported",
     "Measured min/mean/max power per chip 90/170/192 W", "", NOT_REREAD),
    # NVIDIA DGX and HGX 8-GPU servers (per system).
    ("dgx_a100", "maximum", 6.5, "system input", True, "nvidia_dgx_a100_guide", "reported",
     "Максимальное энергопотребление достигает 6500 Вт", "",
     "pcnews.ru summary of NVIDIA's DGX A100 documentation (Russian: maximum power consumption reaches 6500 W)."),
    ("dgx_a100", "rated_capacity", 18.0, "power supplies, total rating", False, "nvidia_dgx_a100_guide", "derived",
     "предусмотрено шесть блоков по 3 кВт, половина из которых резервные", "",
     "6 PSUs x 3 kW = 18.0 kW installed, half of them redundant (nameplate of the supplies, not a draw)."),
    ("dgx_h100", "maximum", 10.2, "system input", True, "nvidia_dgx_h100_guide", "reported",
     "Maximum input specification for the system is 10.2 kW.", "", ""),
    ("dgx_h100", "typical", 8.5, "system, typical range 6.5-8.5 kW (upper end)", True, "supercluster_dgx_h100_power",
     "reported", "Typical Power Consumption: Between 6.5 and 8.5 kW, varying based on workload intensity", "",
     "Upper end of the stated typical range. The same blog describes 4 x 3000 W supplies where NVIDIA lists "
     "6 x 3300 W, so treat it as a weak source."),
    ("dgx_h100", "rated_capacity", 19.8, "power supplies, total rating", False, "nvidia_dgx_h100_guide", "derived",
     "Each supply is rated at 3300 W @ 200-240 V, 16 A, 50-60 Hz.", "",
     "6 PSUs x 3.3 kW = 19.8 kW installed in a 4+2 redundant arrangement (nameplate of the supplies)."),
    ("dgx_b200", "maximum", 14.3, "system, estimated maximum", True, "nvidia_dgx_b300_press", "reported",
     "NVIDIA's deployment guidance lists estimated system power at 14.3 kW max", "",
     "thedailyscout.com summary citing docs.nvidia.com; the DGX B200 User Guide (nvidia_dgx_b200_guide) carries the "
     "same 14.3 kW maximum per the earlier reading."),
    ("dgx_b200", "rated_capacity", 19.8, "power supplies, total rating", False, "nvidia_dgx_b200_guide", "derived",
     "Power supply 6 x 3.3 kW", "", "6 PSUs x 3.3 kW = 19.8 kW installed (nameplate of the supplies)."),
    ("dgx_b300", "maximum", 14.5, "system", True, "nvidia_dgx_b300_press", "reported",
     "DGX B300 — the newer Blackwell Ultra system with eight B300 GPUs — is listed at 14.5 kW", "", ""),
    ("dgx_b300", "maximum", 14.0, "per system in NVIDIA's reference rack (56 kW / 4)", False,
     "nvidia_superpod_b300_ra", "derived",
     "four DGX B300 fit within a single rack. The rack-level power consumption per rack is ~56kW", "",
     "~56 kW / 4 systems = 14.0 kW per DGX B300 in the SuperPOD B300 reference rack."),
    ("hgx_h100_8gpu", "maximum", _platform_model_kw(0.70, "h100_class"), "system (modelled)", True,
     "afd_model_platform_power", "modelled", "", "",
     f"Modelled: 8 x 0.70 kW H100 SXM + {HOST_OVERHEAD_KW['h100_class']} kW host overhead of the DGX H100 "
     "(10.2 kW - 8 x 0.70 kW); no OEM figure recorded."),
    ("hgx_b200_8gpu", "maximum", _platform_model_kw(1.0, "b200_class"), "system (modelled)", True,
     "afd_model_platform_power", "modelled", "", "",
     f"Modelled: 8 x 1.00 kW B200 + {HOST_OVERHEAD_KW['b200_class']} kW host overhead of the DGX B200 "
     "(14.3 kW - 8 x 1.0 kW); no OEM figure recorded."),
    # AMD 8-GPU OAM (UBB) platforms: no published system power was found; modelled.
    ("mi300x_platform", "maximum", _platform_model_kw(0.75, "h100_class"), "system (modelled)", True,
     "afd_model_platform_power", "modelled", "", "",
     f"Modelled: 8 x 0.75 kW MI300X + {HOST_OVERHEAD_KW['h100_class']} kW host overhead (DGX H100 class); "
     "no published platform power found."),
    ("mi325x_platform", "maximum", _platform_model_kw(1.0, "b200_class"), "system (modelled)", True,
     "afd_model_platform_power", "modelled", "", "",
     f"Modelled: 8 x 1.0 kW MI325X + {HOST_OVERHEAD_KW['b200_class']} kW host overhead (DGX B200 class); "
     "no published platform power found."),
    ("mi350x_platform", "maximum", _platform_model_kw(1.0, "b200_class"), "system (modelled)", True,
     "afd_model_platform_power", "modelled", "", "",
     f"Modelled: 8 x 1.0 kW MI350X + {HOST_OVERHEAD_KW['b200_class']} kW host overhead (DGX B200 class); "
     "no published platform power found."),
    ("mi355x_platform", "maximum", _platform_model_kw(1.4, "b200_class"), "system (modelled)", True,
     "afd_model_platform_power", "modelled", "", "",
     f"Modelled: 8 x 1.4 kW MI355X + {HOST_OVERHEAD_KW['b200_class']} kW host overhead (DGX B200 class); "
     "no published platform power found. DGX B300's 14.5 kW with 8 x 1.4 kW GPUs implies only 3.3 kW, "
     "so this is conservative."),
    # Rack-scale systems (per rack).
    ("gb200_nvl72", "maximum", 132.0, "rack, fully loaded", True, "schneider_nvl72_132kw", "reported",
     "latest NVIDIA GPU servers require 132 kW when fully loaded into a rack", "", NOT_REREAD),
    ("gb200_nvl72", "maximum", 150.0, "per rack of an 8-rack scalable unit, incl. its network share", False,
     "nvidia_superpod_gb200_ra", "derived",
     "Each SU requires a Thermal Design Power (TDP) of 1.2 Megawatts (MW).", "",
     "1.2 MW / 8 DGX GB200 rack systems per SU = 150 kW per rack, including the SU's networking and management."),
    ("gb200_nvl72", "maximum", 120.0, "18 compute trays only (no switch trays, no shelf losses)", False,
     "nvidia_dps_device_specs", "derived", "description: NVIDIA GB200 Compute Tray (Bianca) ... maxLoadWatts: 6667",
     "", "18 trays x 6.667 kW = 120.0 kW for the compute trays alone."),
    ("gb200_nvl72", "typical", 120.0, "rack", True, "press_gb200_nvl72_120kw", "reported",
     "The GB200 NVL72 consumes 120 kilowatts", "", ""),
    ("gb200_nvl72", "rated_capacity", 264.0, "power shelves, total rating", False, "nvidia_mission_control_powershelf",
     "derived", "The reference design for an NVIDIA GB200 rack has 8 power shelves, and uses 6 PSUs in each power "
     "shelf. Each PSU is rated up to 5.5kW, so that each power shelf is rated up to 33kW.", "",
     "8 shelves x 33 kW = 264 kW of supply rating per rack (with redundancy), not a draw."),
    ("gb300_nvl72", "maximum", 142.0, "rack, aggregate peak", True, "press_gb300_nvl72_142kw", "reported",
     "The aggregate peak draw is approximately 142 kW", "", ""),
    ("gb300_nvl72", "typical", 120.0, "rack", True, "press_gb300_nvl72", "reported",
     "a liquid-cooled, rack-scale unit that draws approximately 120 kW", "", ""),
    ("gb300_nvl72", "rated_capacity", 132.0, "power shelves, DC output", False, "press_gb300_nvl72", "reported",
     "Power shelves 8 132 kW total DC output", "", "Introl's table (citing Supermicro): 8 power shelves, 132 kW DC output."),
    ("vera_rubin_nvl144", "maximum", 190.0, "rack (announced)", True, "techstories_vera_rubin_power", "reported",
     "190kW for the NVL144", "", "Announced platform: power requirement per rack as reported by trade press."),
    ("rubin_ultra_nvl576", "maximum", 600.0, "rack (announced)", True, "tomshardware_rubin_ultra_2025", "reported",
     "up to 600 kW per rack", "", NOT_REREAD),
]


def power_figure_rows() -> list[dict]:
    """The hardware_power ledger, checked: one sizing figure per (id, basis), every figure quoted or a model."""
    urls = {s[0]: s[4] for s in SOURCES}
    rows, sizing = [], set()
    for hw_id, basis, kw, scope, is_sizing, src, status, quote, seen_at, note in POWER_FIGURES:
        if basis not in POWER_BASES:
            raise ValueError(f"hardware_power {hw_id}: unknown basis {basis}")
        if status != "modelled" and not quote:
            raise ValueError(f"hardware_power {hw_id} {basis} ({src}): a published figure needs its quote")
        if is_sizing:
            if (hw_id, basis) in sizing:
                raise ValueError(f"hardware_power {hw_id} {basis}: two sizing figures")
            sizing.add((hw_id, basis))
        rows.append(dict(hardware_id=hw_id, basis=basis, power_kw=float(kw), scope=scope, sizing=is_sizing,
                         source_id=src, status=status, quote=quote,
                         seen_at=seen_at or ("" if status == "modelled" else urls.get(src, "")), note=note))
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
        _, _, kw, _, _, src, status, *_ = sizing_figure(id_, "maximum")
        rows.append(dict(id=id_, kind=kind, vendor=vendor, name=name, year=year, accelerators=n, power_kw=kw,
                         power_basis="maximum", cooling=cooling, default_rack_kw=rack_kw, platform=platform,
                         availability=availability, source_id=src, status=status, note=note))

    def acc(id_, vendor, name, year, cooling, platform, note, availability="shipping"):
        add(id_, "accelerator", vendor, name, year, 1, cooling, None, platform, availability, note)

    acc("a100_sxm", "NVIDIA", "A100 SXM4", 2020, "air_or_liquid", "dgx_a100",
        "400 W board power (SXM4). Ships in 8-GPU HGX/DGX A100 servers (sized as DGX A100).")
    acc("h100_sxm", "NVIDIA", "H100 SXM5", 2022, "air_or_liquid", "dgx_h100",
        "700 W maximum TDP. Ships in 8-GPU HGX/DGX H100 servers (sized as DGX H100).")
    acc("h100_pcie", "NVIDIA", "H100 PCIe", 2022, "air", "",
        "Maximum TDP 350 W, passive heat sink cooled by system airflow. PCIe servers vary: no platform, so it is "
        "not sized by accelerator count.")
    acc("h200_sxm", "NVIDIA", "H200 SXM", 2024, "air_or_liquid", "dgx_h100",
        "TGP 700 W (NVIDIA's MLPerf Inference v4.1 system description). Ships in the DGX H200 (the DGX H100/H200 row).")
    acc("b200", "NVIDIA", "B200 (HGX)", 2024, "air_or_liquid", "dgx_b200",
        "TGP 1000 W in an air-cooled HGX B200 node; the GB200 configuration is the gb200 row.")
    acc("b300", "NVIDIA", "B300 (Blackwell Ultra, HGX)", 2025, "air_or_liquid", "dgx_b300",
        "1400 W. Ships in 8-GPU HGX/DGX B300 servers (sized as DGX B300).")
    acc("gb200", "NVIDIA", "B200 GPU in GB200 (Grace Blackwell superchip: 1 Grace + 2 GPUs)", 2024, "liquid",
        "gb200_nvl72", "1200 W maximum per GPU (NVIDIA DPS). Counted per GPU: a GB200 superchip is 2 of them. "
        "Ships in GB200 NVL72 racks of 72 GPUs.")
    acc("gb300", "NVIDIA", "B300 GPU in GB300 (Grace Blackwell Ultra superchip)", 2025, "liquid", "gb300_nvl72",
        "1.4 kW per GPU (trade press). Counted per GPU. Ships in GB300 NVL72 racks of 72 GPUs.")
    acc("rubin", "NVIDIA", "Rubin GPU (Vera Rubin superchip)", 2026, "liquid", "vera_rubin_nvl144",
        "announced: up to 1.8 kW per GPU (press, Morgan Stanley model). Ships in Vera Rubin NVL144 racks.",
        availability="announced")
    acc("mi250x", "AMD", "Instinct MI250X (OAM)", 2021, "air_or_liquid", "",
        "560 W OAM. No platform with a published or modelled power in the catalog: not sized by count.")
    acc("mi300x", "AMD", "Instinct MI300X (OAM)", 2023, "air_or_liquid", "mi300x_platform", "750 W OAM.")
    acc("mi325x", "AMD", "Instinct MI325X (OAM)", 2024, "air_or_liquid", "mi325x_platform", "~1000 W.")
    acc("mi350x", "AMD", "Instinct MI350X", 2025, "air", "mi350x_platform", "1000 W module designed for air cooling.")
    acc("mi355x", "AMD", "Instinct MI355X", 2025, "liquid", "mi355x_platform",
        "Up to 1400 W, designed primarily for direct liquid cooling (some air-cooled deployments possible).")
    acc("tpu_v4", "Google", "Cloud TPU v4 chip", 2021, "liquid", "",
        "Measured max 192 W per chip (mean 170 W). Cooling: TPU v4 pods are liquid-cooled (not stated on the cited "
        "page). Sold only as a cloud service: no platform, not sized by count.")

    def sys_(id_, vendor, name, year, n, cooling, rack_kw, note, availability="shipping"):
        add(id_, "system", vendor, name, year, n, cooling, rack_kw, "", availability, note)

    sys_("dgx_a100", "NVIDIA", "DGX A100", 2020, 8, "air", 26.0,
         "6.5 kW max. default_rack_kw derived: 4 systems per rack x 6.5 kW = 26.0 kW (4 per rack as in NVIDIA's "
         "DGX SuperPOD B300 layout; the A100 reference layout itself was not re-read).")
    sys_("dgx_h100", "NVIDIA", "DGX H100/H200", 2022, 8, "air", 40.8,
         "10.2 kW max. default_rack_kw derived: 4 systems per rack x 10.2 kW = 40.8 kW.")
    sys_("dgx_b200", "NVIDIA", "DGX B200", 2024, 8, "air", 28.6,
         "14.3 kW max. default_rack_kw derived: 2 systems per rack x 14.3 kW = 28.6 kW, matching the SuperPOD B200 "
         "reference architecture's example rack of more than 25 kW (nvidia_superpod_b200_ra).")
    sys_("dgx_b300", "NVIDIA", "DGX B300", 2025, 8, "air", 58.0,
         "14.5 kW. default_rack_kw derived: 4 systems per rack (SuperPOD B300 reference rack, ~56 kW, "
         "nvidia_superpod_b300_ra) x 14.5 kW = 58.0 kW at the maximum basis.")
    h100_kw, b200_kw = sizing_figure("hgx_h100_8gpu")[2], sizing_figure("hgx_b200_8gpu")[2]
    sys_("hgx_h100_8gpu", "OEM", "HGX H100 8-GPU server", 2023, 8, "air", round(4 * h100_kw, 1),
         f"Modelled (8 x GPU + DGX host overhead) = {h100_kw:g} kW. Rack: 4 servers x {h100_kw:g} kW.")
    sys_("hgx_b200_8gpu", "OEM", "HGX B200 8-GPU server", 2024, 8, "air_or_liquid", round(2 * b200_kw, 1),
         f"Modelled (8 x GPU + DGX host overhead) = {b200_kw:g} kW. Rack: 2 servers x {b200_kw:g} kW as in the "
         "DGX B200 reference layout.")
    for gpu, name, year, cooling, per_rack in (
            ("mi300x", "Instinct MI300X platform (8 x OAM)", 2023, "air_or_liquid", 4),
            ("mi325x", "Instinct MI325X platform (8 x OAM)", 2024, "air_or_liquid", 2),
            ("mi350x", "Instinct MI350X platform (8 x OAM, air-cooled)", 2025, "air", 2),
            ("mi355x", "Instinct MI355X platform (8 x OAM, liquid-cooled)", 2025, "liquid", 4)):
        kw = sizing_figure(f"{gpu}_platform")[2]
        sys_(f"{gpu}_platform", "AMD/OEM", name, year, 8, cooling, round(per_rack * kw, 1),
             f"Modelled system power {kw:g} kW (8 x GPU + DGX-class host overhead). Rack: {per_rack} per rack "
             f"(project assumption, as for the DGX of the same power class). "
             + ("ServeTheHome: 'MI350X air-cooled and MI355X liquid-cooled platforms' (servethehome_mi350)."
                if gpu in ("mi350x", "mi355x") else ""))
    sys_("gb200_nvl72", "NVIDIA", "GB200 NVL72", 2024, 72, "liquid", 132.0,
         "132 kW fully loaded (Schneider Electric); 120 kW typical and other figures in hardware_power. "
         "36 GB200 superchips = 72 GPUs. One rack = one system.")
    sys_("gb300_nvl72", "NVIDIA", "GB300 NVL72", 2025, 72, "liquid", 142.0,
         "~142 kW aggregate peak (trade press); ~120 kW typical and 132 kW power-shelf DC output in hardware_power. "
         "One rack = one system.")
    sys_("vera_rubin_nvl144", "NVIDIA", "Vera Rubin NVL144", 2026, 72, "liquid", 190.0,
         "announced: 2026; 190 kW per rack (trade press). 72 Rubin GPU packages and 36 Vera CPUs (linkcentre_vera_rubin); "
         "NVIDIA's '144' counts GPU dies. One rack = one system.", availability="announced")
    sys_("rubin_ultra_nvl576", "NVIDIA", "Vera Rubin Ultra NVL576 (Kyber rack)", 2027, 576, "liquid", 600.0,
         "announced: GTC 2025 roadmap, 2H 2027; up to 600 kW per rack. '576' is NVIDIA's count (not re-checked "
         "whether it counts dies or packages). Not shipping; do not use as installed base.", availability="announced")
    ids = {r["id"] for r in rows}
    for row in rows:
        if row["platform"] and row["platform"] not in ids:
            raise ValueError(f"hardware {row['id']}: platform {row['platform']} is not in the catalog")
    for row in POWER_FIGURES:
        if row[0] not in ids:
            raise ValueError(f"hardware_power: {row[0]} is not in the catalog")
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
# The system figures come from the hardware_power ledger at the maximum (sizing) basis.
def _reference_rack(year: int, system: str, per_rack: int, why: str = "") -> tuple[float, str, str]:
    _, basis, kw, _, _, src, *_ = sizing_figure(system, "maximum")
    how = f"{per_rack} x {system} per rack x {kw:g} kW ({basis} basis, hardware_power) = {per_rack * kw:.1f} kW"
    return round(per_rack * kw, 1), src, how + (f" ({why})" if why else "")


AI_FACTORY_RACK = {
    2020: _reference_rack(2020, "dgx_a100", 4),
    2021: _reference_rack(2021, "dgx_a100", 4, "A100 still the volume platform"),
    2022: _reference_rack(2022, "dgx_h100", 4),
    2023: _reference_rack(2023, "dgx_h100", 4, "DGX H100/H200"),
    2024: _reference_rack(2024, "gb200_nvl72", 1, "launched 2024, first racks shipped late 2024"),
    2025: _reference_rack(2025, "gb200_nvl72", 1, "volume year"),
    2026: _reference_rack(2026, "gb300_nvl72", 1),
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
# Writing.
# --------------------------------------------------------------------------------------
COLUMNS = {
    "sources": ["source_id", "publisher", "title", "year", "url", "status", "note"],
    "rack_density": ["year", "segment", "statistic", "kw_per_rack", "source_id", "status", "note"],
    "power_distribution": ["year", "profile", "band", "band_order", "band_min_kw", "band_max_kw", "share_pct",
                           "source_id", "status", "note"],
    "maturity": ["year", "segment", "dimension", "value", "unit", "source_id", "status", "note"],
    "stack": ["layer_order", "layer", "component", "examples", "power_share_pct", "source_id", "status", "note"],
    "hardware": ["id", "kind", "vendor", "name", "year", "accelerators", "power_kw", "power_basis", "cooling",
                 "default_rack_kw", "platform", "availability", "source_id", "status", "note"],
    "hardware_power": ["hardware_id", "basis", "power_kw", "scope", "sizing", "source_id", "status", "quote", "seen_at",
                       "note"],
    "electricity": ["year", "region", "scenario", "twh", "source_id", "status", "note"],
}


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
            writer.writerow([fmt(row[c]) for c in columns])


def build(out_dir: Path) -> list[Path]:
    tables = {
        "sources": [dict(zip(COLUMNS["sources"], s)) for s in SOURCES],
        "rack_density": rack_density_rows(),
        "power_distribution": power_distribution_rows(),
        "maturity": maturity_rows(),
        "stack": stack_rows(),
        "hardware": hardware_rows(),
        "hardware_power": power_figure_rows(),
        "electricity": electricity_rows(),
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
